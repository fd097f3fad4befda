from django.http import Http404
from django.views.generic import DetailView, ListView

from core.pagination import LenientPaginationMixin, selection_querystring
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
            queryset = Event.objects.published()
            self._filterset = EventFilter(data, queryset=queryset, request=self.request)
            if any(key in self.kwargs for key in self._filterset.form.errors):
                raise Http404("unknown society, partner or country")
        return self._filterset

    def selection_querystring(self) -> str:
        """The valid, non-empty filters of the selection, to carry over to feeds and pages."""
        return selection_querystring(self.get_filterset())


class EventListView(EventSelectionMixin, LenientPaginationMixin, ListView):
    template_name = "events/event_list.html"
    extra_context = {"section": "events"}
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        return self.get_filterset().qs.for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        filterset.offer_choices()
        context.update(filter=filterset, selection=self.selection_querystring())
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
