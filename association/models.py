from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.images import ImageModel
from association.slugs import unique_slug
from association.translation_status import TextEditsModel


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: not a draft, and its publication date has come."""
        return self.filter(is_published=True, published_on__lte=timezone.localdate())


class Page(TextEditsModel):
    """A page of the association's own: About, History…"""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Paragraphs, headings, lists and links."))
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unticked, the record is a draft that only staff see.")
    )
    published_on = models.DateField(_("publication date"), default=timezone.localdate)
    position = models.PositiveSmallIntegerField(_("position in menus"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

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


class NewsItem(ImageModel, TextEditsModel):
    image_folder = "news"

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    original_language = models.CharField(_("original language"), max_length=5, default="ru")
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unticked, the record is a draft that only staff see.")
    )
    published_on = models.DateField(_("publication date"), default=timezone.localdate, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.title_ru or self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("association:news-detail", kwargs={"slug": self.slug})


#: The kinds of record the site search finds (``association.search.SOURCES`` describes each).
SEARCH_KINDS = ("partner", "event", "society", "page", "news")


class SearchEntry(models.Model):
    """One public record's text in one language, as the page shows it (with the fallback).

    Maintained by ``association.search`` on save and delete; its ``document`` is a
    stored tsvector with a GIN index per kind of record: every search asks for one kind at
    a time, and a word found in thousands of events must not slow down finding partners.
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=5)
    title = models.TextField(_("title"))
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    visible_from = models.DateField(null=True, blank=True)
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="searchentry_one_per_language")
        ]
        indexes = [
            GinIndex(fields=["document"], condition=models.Q(kind=kind), name=f"searchentry_{kind}_document")
            for kind in SEARCH_KINDS
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"


class StaffPermissions(models.Model):
    """Permissions that belong to no single model: the staff roles are made of them (see association.roles)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("edit_content", _("Can edit every field of the content, in every language")),
            ("publish", _("Can publish records and turn them into drafts")),
            ("translate_en", _("Can edit the English texts")),
            ("translate_vi", _("Can edit the Vietnamese texts")),
        ]
        verbose_name = _("staff permission")
        verbose_name_plural = _("staff permissions")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
