from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.images import ImageModel
from association.partial_date_fields import PartialPeriodModel, period_constraints
from association.translation_status import TextEditsModel


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: not a draft, and its publication date has come."""
        return self.filter(is_published=True, published_on__lte=timezone.localdate())

    def upcoming(self):
        return self.filter(last_day__gte=timezone.localdate())

    def past(self):
        return self.filter(last_day__lt=timezone.localdate())

    def in_year(self, year: int):
        return self.filter(start_on__year__lte=year, last_day__year__gte=year)

    def for_list(self):
        return self.select_related().prefetch_related("partners__country")


class Event(ImageModel, TextEditsModel, PartialPeriodModel):
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
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")
        POSTPONED = "postponed", _("postponed")

    class Place(models.TextChoices):
        SPB = "spb", _("in St Petersburg")
        ABROAD = "abroad", _("abroad")
        ONLINE = "online", _("online")
        UNKNOWN = "unknown", _("not stated")

    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    place = models.CharField(_("where"), max_length=20, choices=Place.choices, default=Place.UNKNOWN, db_index=True)
    partners = models.ManyToManyField("partners.Partner", related_name="events", blank=True, verbose_name=_("partners"))
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
        indexes = [models.Index(fields=["is_published", "-start_on"], name="event_published_start")]

    def __str__(self) -> str:
        return f"{self.period}: {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})


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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report import")
        verbose_name_plural = _("report imports")

    def __str__(self) -> str:
        return f"{self.year} ({self.created_at:%Y-%m-%d})"
