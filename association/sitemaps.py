from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from association.models import NewsItem, Page
from events.models import Event
from partners.models import Country, Partner
from societies.models import Society


class I18nSitemap(Sitemap):
    """Every URL in each language, with hreflang alternates (x-default: Russian)."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(I18nSitemap):
    priority = 0.8

    def items(self):
        return ["association:home", "partners:list", "events:list", "societies:list", "association:news"]

    def location(self, item):
        return reverse(item)


class PartnerSitemap(I18nSitemap):
    priority = 0.7

    def items(self):
        return Partner.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class CountrySitemap(I18nSitemap):
    def items(self):
        return Country.objects.with_published_partners().order_by("pk").only("slug")


class SocietySitemap(I18nSitemap):
    def items(self):
        return Society.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(I18nSitemap):
    def items(self):
        return Page.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(I18nSitemap):
    def items(self):
        return NewsItem.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(I18nSitemap):
    limit = 5000

    def items(self):
        return Event.objects.published().order_by("pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "static": StaticSitemap,
    "partners": PartnerSitemap,
    "countries": CountrySitemap,
    "societies": SocietySitemap,
    "pages": PageSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
}
