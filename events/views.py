from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import DetailView, ListView

from events.filters import EventFilter
from events.models import Event
from events.structured_data import event_json_ld, json_ld_script

PRESET_KWARGS = ("society", "partner", "country")


class EventSelectionMixin:
    """The selection of events named by the query string, or preset by a ready-made feed's URL."""

    def get_filterset(self) -> EventFilter:
        if not hasattr(self, "_filterset"):
            data = {key: self.request.GET.get(key) for key in EventFilter.base_filters if key in self.request.GET}
            data.update({key: self.kwargs[key] for key in PRESET_KWARGS if key in self.kwargs})
            queryset = Event.objects.published().prefetch_related("partners", "societies")
            self._filterset = EventFilter(data, queryset=queryset, request=self.request)
            if any(key in self.kwargs for key in self._filterset.form.errors):
                raise Http404("unknown society, partner or country")
        return self._filterset

    def selection_querystring(self) -> str:
        """The valid, non-empty filters of the selection, to carry over to feeds and pages."""
        filterset = self.get_filterset()
        filterset.form.is_valid()
        errors = filterset.form.errors
        pairs = [(key, value) for key, value in filterset.data.items() if value and key not in errors]
        return urlencode(pairs)


class EventListView(EventSelectionMixin, ListView):
    template_name = "events/event_list.html"
    extra_context = {"section": "events"}
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        return self.get_filterset().qs

    def paginate_queryset(self, queryset, page_size):
        """An unknown or out-of-range page shows the nearest real page instead of a 404."""
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter=self.get_filterset(), selection=self.selection_querystring())
        return context


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    extra_context = {"section": "events"}
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.published().prefetch_related("partners__country", "societies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = json_ld_script(event_json_ld(self.object, self.request))
        return context
