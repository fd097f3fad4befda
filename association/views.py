import sys

from django.core.exceptions import DisallowedHost
from django.db.models import Min
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from association.middleware import is_database_outage
from association.models import NewsItem, Page
from association.outage import database_unavailable, error_language
from core.cache import derived
from core.pagination import LenientPaginationMixin
from events.activity import newest_report_year
from events.filters import Sort, sort_events
from events.models import Event
from partners.models import Country, Partner
from societies.models import Society


def home_figures() -> dict:
    """The home page's figures and anniversaries: aggregates over all the content, derived once per version."""
    today = timezone.localdate()
    partners = Partner.objects.published()
    report_year = newest_report_year()
    oldest_ties = partners.aggregate(first=Min("ties_since_on"))["first"]
    return {
        "partner_count": partners.count(),
        "country_count": Country.objects.with_published_partners().count(),
        "ties_years": today.year - oldest_ties.year if oldest_ties else None,
        "report_year": report_year,
        "report_year_event_count": Event.objects.published().filter(report_year=report_year).count(),
        "anniversaries": list(partners.round_anniversaries(today.year).select_related("country")[:12]),
        "this_year": today.year,
    }


class HomeView(TemplateView):
    template_name = "association/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = Event.objects.published()
        context.update(
            derived("home-figures", home_figures),
            about=Page.objects.published().filter(slug="about").first(),
            upcoming_events=sort_events(events.upcoming(), Sort.DATE)[:5],
            latest_events=events.past().order_by("-last_day", "-pk")[:6],
            societies=Society.objects.published().filter(based_abroad=False)[:8],
            news=NewsItem.objects.published()[:3],
        )
        return context


class PageView(DetailView):
    template_name = "association/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published().prefetch_related("timeline")

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.object.slug, **kwargs)


class NewsListView(LenientPaginationMixin, ListView):
    template_name = "association/news_list.html"
    context_object_name = "news"
    paginate_by = 20
    extra_context = {"section": "news"}

    def get_queryset(self):
        return NewsItem.objects.published()


class NewsDetailView(DetailView):
    template_name = "association/news_detail.html"
    context_object_name = "item"
    extra_context = {"section": "news"}

    def get_queryset(self):
        return NewsItem.objects.published()


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# Error pages speak the language of the URL (or of the visitor, outside the language
# prefixes), never the one a previous request left active in this thread: an error can
# be raised before LocaleMiddleware has chosen this request's language.


def bad_request(request, exception):
    """400; for a Host not in ALLOWED_HOSTS, a page that needs neither the host nor context processors."""
    with translation.override(error_language(request)):
        if isinstance(exception, DisallowedHost):
            return HttpResponseBadRequest(loader.render_to_string("400_plain.html"))
        return render(request, "400.html", status=400)


def permission_denied(request, exception):
    with translation.override(error_language(request)):
        return render(request, "403.html", status=403)


def page_not_found(request, exception):
    with translation.override(error_language(request)):
        return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 when the error is that the database cannot be reached (also from middleware)."""
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    with translation.override(error_language(request)):
        return HttpResponseServerError(loader.render_to_string("500.html"))
