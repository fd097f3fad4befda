from collections.abc import Iterable
from datetime import date
from typing import Self

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import in_language, language_chain, translated_columns
from core.images import ImageModel
from core.partial_date_fields import PartialPeriodModel, period_constraints
from core.partial_dates import Precision
from core.publishing import PublishableModel, PublishedQuerySet
from core.translation_status import TextEditsModel


def title_in_language(language: str | None = None) -> Coalesce:
    """The title as shown in ``language`` (the current one by default): the first non-empty of its fallback chain.

    The title sort and its indexes (one per language, ``Event.Meta.indexes``) use this one expression,
    so that PostgreSQL matches the ORDER BY to the index.
    """
    columns = (NullIf(F(f"title_{code}"), Value("")) for code in language_chain(language))
    return Coalesce(*columns, Value(""), output_field=TextField())


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` among ``choices``; the value itself if it is not one of them."""
    try:
        return choices(value).label
    except ValueError:
        return value


def in_report_rows(event: str, partner: str) -> Q:
    """Whether the link of ``event`` to ``partner`` (outer columns) is one of the event's rows in a yearly
    report: a partner it is reported under, or any of its partners when it records none (entered by staff)."""
    reported = Event.reported_under.through.objects.filter(event=OuterRef(event))
    return ~Exists(reported) | Exists(reported.filter(partner=OuterRef(partner)))


class EventQuerySet(PublishedQuerySet):
    """``today`` is the current day unless given: a request that reads it once and passes it to every
    method puts an event that ends at midnight on the same side of it everywhere."""

    def upcoming(self, today: date | None = None) -> Self:
        return self.filter(last_day__gte=today or timezone.localdate())

    def past(self, today: date | None = None) -> Self:
        return self.filter(last_day__lt=today or timezone.localdate())

    def in_year(self, year: int) -> Self:
        return self.filter(start_on__year__lte=year, last_day__year__gte=year)

    def row_partner_ids(self) -> models.QuerySet:
        """The ids of the partners in whose rows of a yearly report these events are listed (a subquery)."""
        links = Event.partners.through.objects.filter(event__in=self)
        return links.filter(in_report_rows("event", "partner")).values("partner_id")

    def per_partner_in_report(self, partners: models.QuerySet, language: str) -> Self:
        """One row per event and partner among ``partners`` in whose row the event is listed
        (``report_partner_id``; see ``in_report_rows``), in the yearly report's order of partners, each
        partner's events in date order.

        Each row also has the event's partners among ``partners`` listing it, in the same order, as arrays:
        ``together_ids``, ``together_countries``, ``together_kinds`` and ``together_names`` (in ``language``).
        """
        from partners.models import report_order

        links = Event.partners.through.objects.filter(event=OuterRef("pk"), partner__in=partners)
        links = links.filter(in_report_rows("event", "partner"))

        def together(column, base_field) -> Subquery:
            ordered = ArrayAgg(column, order_by=report_order(language, "partner__"))
            return Subquery(
                links.order_by().values("event").annotate(values=ordered).values("values"),
                output_field=ArrayField(base_field),
            )

        return (
            self.filter(partners__in=partners)
            .annotate(
                report_partner_id=F("partners__id"),
                together_ids=together("partner_id", models.IntegerField()),
                together_countries=together("partner__country_id", models.IntegerField()),
                together_kinds=together("partner__kind", models.CharField()),
                together_names=together(in_language("partner__name", language), models.TextField()),
            )
            .filter(in_report_rows("pk", "report_partner_id"))
            .order_by(*report_order(language, "partners__"), "start_on", "last_day", "pk")
        )

    def related_to(self, event: "Event", partners: Iterable[models.Model]) -> Self:
        """Other events of ``partners`` (``event``'s, as its page shows them), newest first."""
        links = Event.partners.through.objects.filter(partner_id__in=[partner.pk for partner in partners])
        return self.filter(pk__in=links.values("event_id")).exclude(pk=event.pk).order_by("-start_on", "-pk")

    def for_list(self) -> Self:
        """What a row of an events list shows: the columns of its template (events/includes/event_row.html), not
        the descriptions and report texts of every language, and its partners' names."""
        from partners.models import Partner

        shown = ("kind", "status", "place", *self.model.PERIOD_COLUMNS, "last_day")
        names = Partner.objects.published().only("slug", *translated_columns("name"))  # a draft partner is not shown
        return self.only(*shown, *translated_columns("title")).prefetch_related(
            models.Prefetch("partners", queryset=names)
        )


class Event(ImageModel, TextEditsModel, PartialPeriodModel, PublishableModel):
    image_folder = "events"

    class Kind(models.TextChoices):
        INCOMING = "incoming-delegation", _("incoming delegation")
        OUTGOING = "outgoing-delegation", _("outgoing delegation")
        VIDEO = "video-conference", _("video conference")
        EXHIBITION = "exhibition", _("exhibition")
        FESTIVAL = "festival", _("festival")
        FORUM = "forum", _("forum or conference")
        CONCERT = "concert", _("concert or performance")
        MEMORIAL = "memorial", _("memorial event")
        AID = "humanitarian-aid", _("humanitarian aid")
        AGREEMENT = "agreement-signed", _("agreement signed")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        """What staff record; whether the event is past or to come is read from its dates (``state_on``)."""

        SCHEDULED = "scheduled", _("as planned")
        CANCELLED = "cancelled", _("cancelled")
        POSTPONED = "postponed", _("postponed")

    class State(models.TextChoices):
        """What a visitor reads on a given day: the status, or for an event as planned, its dates against the day."""

        SCHEDULED = "scheduled", _("scheduled")
        UNDER_WAY = "under-way", _("taking place")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")
        POSTPONED = "postponed", _("postponed")

    class Place(models.TextChoices):
        SPB = "spb", _("in St Petersburg")
        ABROAD = "abroad", _("abroad")
        ONLINE = "online", _("online")
        UNKNOWN = "unknown", _("not stated")

    title = models.TextField(_("title"), help_text=_("Short, in sentence case, without a final full stop."))
    report_text = models.TextField(
        _("text of the report"),
        blank=True,
        help_text=_("The yearly report's sentence about the event, verbatim; empty for events entered by staff."),
    )
    title_needs_review = models.BooleanField(
        _("title to review"),
        default=False,
        db_index=True,
        help_text=_("The title was derived from the report's sentence by the import: check it and untick."),
    )
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    place = models.CharField(_("where"), max_length=20, choices=Place.choices, default=Place.UNKNOWN, db_index=True)
    # The link table also has an index on (partner_id, event_id), made by migration 0008.
    partners = models.ManyToManyField(
        "partners.Partner",
        related_name="events",
        blank=True,
        verbose_name=_("partners"),
        help_text=_("Every partner the event concerns: those of the report's row and those its text names."),
    )
    # The row (or rows) of the yearly report the item was printed in; among ``partners``. The yearly
    # table generated from the data lists an event in these rows, or in its partners' without them.
    reported_under = models.ManyToManyField(
        "partners.Partner",
        related_name="events_reported_under",
        blank=True,
        verbose_name=_("reported under"),
        help_text=_("The partners in whose row of the yearly report the event is printed."),
    )
    societies = models.ManyToManyField(
        "societies.Society", related_name="events", blank=True, verbose_name=_("societies")
    )
    report_year = models.PositiveSmallIntegerField(
        _("yearly report"), null=True, blank=True, db_index=True, help_text=_("Empty for events entered by staff.")
    )
    source_key = models.CharField(
        _("source key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifies an event that came from a report, so that re-importing changes nothing."),
    )
    report_import = models.ForeignKey(
        "events.ReportImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("report import"),
    )
    # PublishableModel's fields, indexed and worded for events.
    is_published = models.BooleanField(
        _("published"), default=True, db_index=True, help_text=_("Unticked, the event is a draft that only staff see.")
    )
    published_on = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        db_index=True,
        help_text=_("The event appears on the public site from this day on."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = period_constraints("event")
        indexes = [
            # The date orders of the list: newest first (scanned backwards: oldest first), pk breaking ties.
            # It holds what the list's WHERE needs, so that the count of published events and the walk
            # along the order to a page's first past events read this index only, not the wide rows.
            models.Index(
                fields=["is_published", "-start_on", "-id"],
                include=["published_on", "last_day"],
                name="event_published_start_id",
            ),
            # The Atom feed: the latest changes of the published events.
            models.Index(
                fields=["is_published", "-updated_at", "-id"], include=["published_on"], name="event_published_updated"
            ),
            # The title order of the list in each language, as title_in_language() computes it.
            *(
                models.Index(title_in_language(code), "id", name=f"event_title_{code}", condition=Q(is_published=True))
                for code, _name in settings.LANGUAGES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.title[:80]}"

    # Django's get_FOO_display rebuilds a dict of every choice on each call; a list page calls them per row.
    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    def get_place_display(self) -> str:
        return choice_label(self.Place, self.place)

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    def state_on(self, today: date) -> str | None:
        """The ``State`` to show on ``today``; ``None`` while an event known only by its month or year runs.

        An event as planned whose last day has passed was held: the stored status says only that it was
        not cancelled or postponed, never that it is still to come.
        """
        if self.status != self.Status.SCHEDULED:
            return self.status
        if self.last_day < today:
            return self.State.HELD
        if self.start_on > today:
            return self.State.SCHEDULED
        if self.start_precision == Precision.DAY and (self.end_on is None or self.end_precision == Precision.DAY):
            return self.State.UNDER_WAY
        return None


class ReportImport(models.Model):
    """One yearly report of the Committee for External Relations, imported into the portal."""

    year = models.PositiveSmallIntegerField(_("report year"), db_index=True)
    file = models.FileField(_("file"), upload_to="reports/")
    file_sha256 = models.CharField(_("checksum"), max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # The partners it created (as drafts), for its review page; its events point to it.
    partners = models.ManyToManyField(
        "partners.Partner", related_name="report_imports", blank=True, verbose_name=_("new partners")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report import")
        verbose_name_plural = _("report imports")

    def __str__(self) -> str:
        return f"{self.year} ({self.created_at:%Y-%m-%d})"
