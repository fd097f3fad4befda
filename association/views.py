from django.shortcuts import render
from django.views.generic import DetailView, ListView, TemplateView

from association.models import NewsItem, Page
from events.models import Event
from partners.models import Country, Partner


class HomeView(TemplateView):
    template_name = "association/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = Partner.objects.published()
        context.update(
            partner_count=partners.count(),
            country_count=Country.objects.filter(partners__in=partners).distinct().count(),
            upcoming_events=Event.objects.published().upcoming().order_by("start_on")[:5],
            latest_events=Event.objects.published().past().order_by("-last_day")[:5],
            news=NewsItem.objects.published()[:3],
        )
        return context


class PageView(DetailView):
    template_name = "association/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published().prefetch_related("timeline")


class NewsListView(ListView):
    template_name = "association/news_list.html"
    context_object_name = "news"
    paginate_by = 20

    def get_queryset(self):
        return NewsItem.objects.published()


class NewsDetailView(DetailView):
    template_name = "association/news_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.published()


def page_not_found(request, exception):
    return render(request, "404.html", status=404)
