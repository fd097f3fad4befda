from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from association.models import NewsItem, Page
from events.models import Event
from partners.models import Country, Partner
from societies.models import Society


class I18nSitemap(Sitemap):
    """Every URL in each language, with hreflang alternates (x-default: Russian).

    At most ``limit`` URLs a page (``?p=``), whatever the amount of data: one request
    reads and renders at most 500 records; the index lists the pages.
    """

    i18n = True
    alternates = True
    x_default = True
    limit = 1500  # URLs a page: 500 records in three languages


class InLanguages(Sequence):
    """``(item, language)`` for every item of a queryset in every language, read a page at a time.

    Django's i18n sitemaps build this list whole before paginating it, which loads every
    event to answer any page of the sitemap.
    """

    def __init__(self, queryset: QuerySet, languages: list[str]) -> None:
        self.queryset, self.languages = queryset, languages

    def __len__(self) -> int:
        if not hasattr(self, "_count"):
            self._count = self.queryset.count() * len(self.languages)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_item = len(self.languages)
        first, last = start // per_item, -(-stop // per_item)
        pairs = [(item, language) for item in self.queryset[first:last] for language in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class UpdatedSitemap(I18nSitemap):
    """Records with ``updated_at``: each item's last change, and the latest in one aggregate.

    Django's default ``get_latest_lastmod`` calls ``lastmod`` on every item, which loads
    every event for the sitemap index.
    """

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def _items(self):
        return InLanguages(self.items(), self._languages())


class StaticSitemap(I18nSitemap):
    priority = 0.8

    def items(self):
        return [
            "association:home",
            "partners:list",
            "events:list",
            "societies:list",
            "association:news",
            "association:open-data",
        ]

    def location(self, item):
        return reverse(item)


class PartnerSitemap(UpdatedSitemap):
    priority = 0.7

    def items(self):
        return Partner.objects.published().order_by("pk").only("slug", "updated_at")


class CountrySitemap(I18nSitemap):
    def items(self):
        return Country.objects.with_published_partners().order_by("pk").only("slug")


class SocietySitemap(UpdatedSitemap):
    def items(self):
        return Society.objects.published().order_by("pk").only("slug", "updated_at")


class PageSitemap(UpdatedSitemap):
    def items(self):
        return Page.objects.published().order_by("pk").only("slug", "updated_at")


class NewsSitemap(UpdatedSitemap):
    def items(self):
        return NewsItem.objects.published().order_by("pk").only("slug", "updated_at")


class EventSitemap(UpdatedSitemap):
    def items(self):
        return Event.objects.published().order_by("pk").only("pk", "updated_at")


SITEMAPS = {
    "static": StaticSitemap,
    "partners": PartnerSitemap,
    "countries": CountrySitemap,
    "societies": SocietySitemap,
    "pages": PageSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
}
