from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.images import ImageModel
from core.partial_date_fields import PartialDateAttribute, partial_date_constraints
from core.partial_dates import Precision
from core.publishing import PublishableModel
from core.slugs import unique_slug
from core.translation_status import TextEditsModel


class Page(TextEditsModel, PublishableModel):
    """A page of the association's own: About, History…"""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Paragraphs, headings, lists and links."))
    published_on = models.DateField(_("publication date"), default=timezone.localdate)  # PublishableModel's, unindexed
    position = models.PositiveSmallIntegerField(_("position in menus"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.title_ru or self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("association:page", kwargs={"slug": self.slug})


class TimelineEntry(models.Model):
    """A dated milestone shown as a timeline on a page (the history of people's diplomacy)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("page"))
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        ordering = ["page", "year", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.year}: {self.label}"


class NewsItem(ImageModel, TextEditsModel, PublishableModel):
    """A news item; its publication date is a partial date: a source may date it by its year or month only."""

    image_folder = "news"

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    original_language = models.CharField(_("original language"), max_length=5, default="ru")
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    # With PublishableModel's ``published_on``, the publication date as the source gives it: a year is
    # stored as 1 January, and the item is public from that day on.
    published_precision = models.PositiveSmallIntegerField(choices=Precision.choices, default=Precision.DAY)
    published = PartialDateAttribute(_("publication date"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = partial_date_constraints("published", "association_newsitem", nullable=False)

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.title_ru or self.title)
        # A day set on an item dated by its year or month (publishing it now) moves to the first day of that period.
        if self.published_precision != Precision.DAY and isinstance(self.published_on, date):
            self.published = self.published
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("association:news-detail", kwargs={"slug": self.slug})


class SiteSettings(models.Model):
    """The association's contacts: one record, shown in the footer and on the About page once filled.

    There is no record until staff save one, and a field left empty is not shown: the site never
    shows contacts that nobody entered. ``singleton`` keeps it to one record in the database.
    """

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    vk_url = models.URLField(_("VK"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    odnoklassniki_url = models.URLField(_("Odnoklassniki"), blank=True)
    rutube_url = models.URLField(_("Rutube"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SOCIAL = ("vk_url", "telegram_url", "odnoklassniki_url", "rutube_url", "youtube_url")

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="association_sitesettings_one")]

    def __str__(self) -> str:
        return str(_("site settings"))

    @classmethod
    def current(cls) -> SiteSettings | None:
        """The record, or ``None`` while staff have not saved one."""
        return cls.objects.first()

    def social_links(self) -> list[dict]:
        """The filled social links, each with the network's name: ``[{"label": "Telegram", "url": …}]``."""
        return [
            {"label": self._meta.get_field(name).verbose_name, "url": getattr(self, name)}
            for name in self.SOCIAL
            if getattr(self, name)
        ]

    @property
    def phone_uri(self) -> str:
        """``tel:+78121234567`` from the number as staff wrote it: «+7 (812) 123-45-67»."""
        digits = "".join(char for char in self.phone if char.isdigit())
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}"

    @property
    def filled(self) -> bool:
        return bool(self.address or self.email or self.phone or self.social_links())
