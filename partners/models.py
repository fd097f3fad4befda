from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.i18n import in_language, translated_values
from core.images import ImageModel
from core.partial_date_fields import PartialDateAttribute, partial_date_constraints
from core.partial_dates import PartialDate, Precision, format_partial_date
from core.slugs import unique_slug
from core.translation_status import TextEditsModel
from partners.matching import normalise_name


class RegionQuerySet(models.QuerySet):
    def with_published_partners(self):
        """Regions with a published partner (the reference geography has regions no partner is in yet)."""
        return self.filter(Exists(Partner.objects.published().filter(country__region=OuterRef("pk"))))


class Region(TextEditsModel):
    """A world region as the Committee's reports group partners: ЕВРОПА, АЗИЯ, СНГ…"""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class CountryQuerySet(models.QuerySet):
    def with_published_partners(self):
        """Countries with a published partner: one EXISTS lookup per country, not a join over every partner."""
        return self.filter(Exists(Partner.objects.published().filter(country=OuterRef("pk"))))


class Country(TextEditsModel):
    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region"))
    aliases = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, verbose_name=_("spellings in reports")
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["region__position", "name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso")]
        # The partner directory is ordered by country name (in the page's language): read in this
        # order, the countries let the join stop once a page of partners is found.
        indexes = [
            models.Index(fields=[f"name_{code}"], name=f"country_name_{code}") for code, _name in settings.LANGUAGES
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("partners:country", kwargs={"slug": self.slug})

    def all_names(self) -> list[str]:
        """Its name in every language and its spellings in reports: «Китай», "China", «Trung Quốc», «КНР»."""
        return [name for name in [*translated_values(self, "name"), *self.aliases] if name]


def report_order(language: str, path: str = "") -> list:
    """The order of the Committee's yearly report: by region, country, the country's government first,
    then partner name, in ``language``. ``path`` leads from the model ordered to the partner (``partner__``)."""
    government = Case(
        When(**{f"{path}kind": "government"}, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return [
        F(f"{path}country__region__position").asc(),
        F(f"{path}country__region_id").asc(),
        in_language(f"{path}country__name", language).asc(),
        F(f"{path}country_id").asc(),
        government.asc(),
        in_language(f"{path}name", language).asc(),
        F(f"{path}id").asc(),
    ]


class PartnerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_yearly_report(self, year: int, *, active: models.QuerySet):
        """The published partners a yearly table lists: those with an event in ``year`` (``active``: their ids)
        or an agreement step dated in it, and those the Committee's report of the year listed — or, for a
        year not reported yet, every partner with an agreement by then whose ties were not suspended or
        ended at the time, as the reports list them."""
        signed = Milestone.objects.filter(date_on__year=year).values("agreement__partner")
        chosen = Q(pk__in=active) | Q(pk__in=signed)
        if Partner.objects.filter(report_years__contains=[year]).exists():
            return self.published().filter(chosen | Q(report_years__contains=[year]))
        bound = Milestone.objects.filter(date_on__year__lte=year).values("agreement__partner")
        latest = PartnerStatus.objects.sourced().filter(partner=OuterRef("pk"), date_on__year__lte=year).latest_first()
        lapsed = [PartnerStatus.Status.SUSPENDED, PartnerStatus.Status.TERMINATED]
        not_lapsed = Q(status_in_year__isnull=True) | ~Q(status_in_year__in=lapsed)
        return (
            self.published()
            .alias(status_in_year=Subquery(latest.values("status")[:1]))
            .filter(chosen | (Q(pk__in=bound) & not_lapsed))
        )

    def in_report_order(self, language: str):
        return self.select_related("country__region").order_by(*report_order(language))

    def with_status(self):
        """Annotate ``current_status``, ``current_status_on`` and ``current_status_precision``: the latest sourced
        entry of the status history. Without one they are None: no status is assumed, "active" least of all."""
        latest = PartnerStatus.objects.sourced().filter(partner=OuterRef("pk")).latest_first()
        return self.annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_status_on=Subquery(latest.values("date_on")[:1]),
            current_status_precision=Subquery(latest.values("date_precision")[:1]),
        )

    def for_directory(self):
        return self.published().select_related("country__region").with_status()

    def round_anniversaries(self, year: int, every: int = 5):
        """Partners whose ties turn a multiple of ``every`` years old in ``year``.

        Only the year of the ties is used, whatever the precision: ties of «1974» are
        50 years old in 2024, and no day is invented for them.
        """
        return (
            self.published()
            .filter(ties_since_on__year__lt=year)
            .annotate(ties_age=Value(year) - ExtractYear("ties_since_on"))
            .annotate(ties_age_mod=F("ties_age") % every)
            .filter(ties_age_mod=0)
            .order_by("-ties_age", "ties_since_on")
        )


class Partner(ImageModel, TextEditsModel):
    """A partner of St Petersburg: a city, province, district or a country's government."""

    image_folder = "partners"

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        REGION = "region", _("region or province")
        DISTRICT = "district", _("district")
        AUTONOMOUS = "autonomous-territory", _("autonomous territory")
        GOVERNMENT = "government", _("national government")

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="partners", verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.CITY, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=4, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=4, null=True, blank=True)
    ties_since_on = models.DateField(_("ties established"), null=True, blank=True, db_index=True)
    ties_since_precision = models.PositiveSmallIntegerField(
        _("precision of the date ties were established"), choices=Precision.choices, null=True, blank=True
    )
    ties_since = PartialDateAttribute()
    aliases = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("spellings in reports"),
        help_text=_("Names under which the yearly reports list this partner, e.g. «г. Хошимин», «Нур-Султан»."),
    )
    normalised_aliases = ArrayField(models.CharField(max_length=200), default=list, editable=False)
    report_years = ArrayField(
        models.PositiveSmallIntegerField(), default=list, blank=True, verbose_name=_("listed in the reports of")
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            # The published partners of a country (directory, siblings), and their count without the table.
            models.Index(fields=["country"], condition=Q(is_published=True), name="partner_published_country"),
        ]
        constraints = [
            *partial_date_constraints("ties_since", "partner", nullable=True),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="partner_latitude"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="partner_longitude",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name_ru or self.name)
        self.prepare_save()
        super().save(*args, **kwargs)

    def prepare_save(self) -> None:
        """The derived columns, for ``save()`` and for bulk writes (``core.bulk``)."""
        self.normalise_aliases()

    def normalise_aliases(self) -> None:
        """Bring ``normalised_aliases`` in line with the aliases and the name (bulk writes call it; save does).

        They are the names ``partners.matching`` finds the partner by.
        """
        names = [*self.aliases, self.name_ru or self.name]
        self.normalised_aliases = sorted({normalise_name(name) for name in names})

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", kwargs={"slug": self.slug})

    def publish_problems(self) -> dict[str, str]:
        """Why the partner cannot be public yet, by field: the map needs its place, the directory its country."""
        problems = {}
        if self.country_id is None:
            problems["country"] = str(_("A partner is published with its country."))
        if self.latitude is None or self.longitude is None:
            field = "latitude" if self.latitude is None else "longitude"
            problems[field] = str(_("A partner is published with its coordinates (for the map)."))
        return problems

    def clean(self) -> None:
        super().clean()
        if self.is_published and (problems := self.publish_problems()):
            raise ValidationError(problems)

    @property
    def status_label(self) -> str:
        """The current status in words, or "" when no sourced entry states one (needs ``with_status()``)."""
        return PartnerStatus.Status(self.current_status).label if self.current_status else ""

    @property
    def status_date(self) -> PartialDate | None:
        """The date of the entry that states the current status (needs ``with_status()``)."""
        return PartialDate.from_db(self.current_status_on, self.current_status_precision)

    @property
    def sourced_statuses(self) -> list["PartnerStatus"]:
        """The status history that a source backs, oldest first (needs ``statuses`` prefetched)."""
        if "statuses" not in getattr(self, "_prefetched_objects_cache", {}):
            raise AttributeError("prefetch the partner's statuses first")
        return [entry for entry in self.statuses.all() if entry.is_sourced]

    def is_dormant(self, since_year: int) -> bool:
        """Nothing recorded since ``since_year`` (needs ``events.activity.with_last_activity``)."""
        last = self.last_activity_on  # raises AttributeError when not annotated
        return last is None or last.year < since_year


class PartnerStatusQuerySet(models.QuerySet):
    def sourced(self):
        """Entries that name their source (in Russian, the language of record): the only ones the site states."""
        return self.exclude(source_ru__isnull=True).exclude(source_ru="")

    def latest_first(self):
        return self.order_by("-date_on", "-pk")


class PartnerStatus(models.Model):
    """One dated entry of a partnership's status history, with the document, address or note it comes from.

    The site shows a status only where such an entry states it; an entry without a source is kept for staff
    but said nowhere.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        TERMINATED = "terminated", _("terminated")
        RESTORED = "restored", _("restored")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("partner"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    date_on = models.DateField(_("date"))
    date_precision = models.PositiveSmallIntegerField(_("precision"), choices=Precision.choices)
    date = PartialDateAttribute()
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The document, report or note that states this status, e.g. «Отчёт КВС за 2024 год»."),
    )
    source_url = models.URLField(
        _("address of the source"),
        max_length=500,
        blank=True,
        help_text=_("Where the document can be read, if online."),
    )

    objects = PartnerStatusQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "date_on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = partial_date_constraints("date", "partnerstatus", nullable=False)
        # A partner's latest sourced entry (the directory's status and its filter).
        indexes = [
            models.Index(
                "partner",
                F("date_on").desc(),
                F("id").desc(),
                name="partnerstatus_sourced_latest",
                condition=Q(source_ru__isnull=False) & ~Q(source_ru=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.date})"

    @property
    def is_sourced(self) -> bool:
        return bool(self.source_ru)


class AgreementQuerySet(models.QuerySet):
    def for_report(self, partners: models.QuerySet, language: str):
        """The agreements of ``partners`` in the report's order, each with its milestones as three arrays in date
        order: ``milestone_days`` (first days), ``milestone_precisions`` and ``milestone_labels`` (in ``language``)."""
        order = ("milestones__date_on", "milestones__id")
        dated = Q(milestones__isnull=False)
        return (
            self.filter(partner__in=partners)
            .order_by(*report_order(language, "partner__"), "position", "pk")
            .annotate(
                milestone_days=ArrayAgg("milestones__date_on", order_by=order, filter=dated, default=Value([])),
                milestone_precisions=ArrayAgg(
                    "milestones__date_precision", order_by=order, filter=dated, default=Value([])
                ),
                milestone_labels=ArrayAgg(
                    in_language("milestones__label", language), order_by=order, filter=dated, default=Value([])
                ),
            )
        )


class Agreement(TextEditsModel):
    """A document that a partnership rests on, with its dated milestones."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("agreement")
        PROTOCOL = "protocol", _("protocol")
        MEMORANDUM = "memorandum", _("memorandum")
        ROAD_MAP = "road-map", _("road map")
        DECLARATION = "declaration", _("declaration")
        PROGRAMME = "programme", _("programme")
        TWINNING = "twinning", _("twinning treaty")
        COUNCIL_DECISION = "council-decision", _("council decision")
        TIES = "ties-established", _("ties established")
        OTHER = "other", _("other")

    class Party(models.TextChoices):
        GOVERNMENT = "government", _("Government of St Petersburg")
        ADMINISTRATION = "administration", _("Administration of St Petersburg")
        LEGISLATIVE_ASSEMBLY = "legislative-assembly", _("Legislative Assembly of St Petersburg")
        COMMITTEE = "committee", _("a committee of the Government")
        DISTRICT = "district", _("a district of St Petersburg")
        CITY = "city", _("St Petersburg")
        OTHER = "other", _("other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("partner"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.AGREEMENT, db_index=True)
    spb_party = models.CharField(
        _("St Petersburg party"), max_length=30, choices=Party.choices, default=Party.GOVERNMENT
    )
    title = models.TextField(_("title or basis of cooperation"))
    valid_from_year = models.PositiveSmallIntegerField(_("valid from (year)"), null=True, blank=True)
    valid_to_year = models.PositiveSmallIntegerField(_("valid to (year)"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to="agreements/", blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "position", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_from_year__isnull=True)
                | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="agreement_valid_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def get_absolute_url(self) -> str:
        return f"{self.partner.get_absolute_url()}#agreement-{self.pk}"

    def search_details(self) -> str:
        """Its kind, party, years and milestones in the active language, for the site search."""
        language = get_language()
        parts = [self.get_kind_display(), self.get_spb_party_display()]
        if self.valid_from_year or self.valid_to_year:
            parts.append("–".join(str(year) for year in (self.valid_from_year, self.valid_to_year) if year))
        for milestone in self.milestones.all():
            parts.append(" ".join(filter(None, [format_partial_date(milestone.date, language), milestone.label])))
        return " · ".join(parts)


class Milestone(models.Model):
    """A dated step of an agreement: signature, renewal, ties established."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("agreement")
    )
    date_on = models.DateField(_("date"), db_index=True)
    date_precision = models.PositiveSmallIntegerField(_("precision"), choices=Precision.choices)
    date = PartialDateAttribute()
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["agreement", "date_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = partial_date_constraints("date", "milestone", nullable=False)

    def __str__(self) -> str:
        return f"{self.date} {self.label}".strip()


def agreements_with_milestones() -> Prefetch:
    return Prefetch("agreements", queryset=Agreement.objects.prefetch_related("milestones"))
