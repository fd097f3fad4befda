from functools import cached_property

from django.views.generic import DetailView, ListView

from core.pagination import LenientPaginationMixin, selection_querystring
from events.filters import EventFilter, UpcomingFirst
from events.models import Event
from events.selection import event_selection, in_list_order
from events.structured_data import event_json_ld, json_ld_script


class EventSelectionMixin:
    """The selection of events named by the query string, or preset by a ready-made feed's URL."""

    @cached_property
    def selection(self) -> EventFilter:
        return event_selection(self.request, **self.kwargs)

    def selection_querystring(self) -> str:
        """The valid, non-empty filters of the selection, to carry over to feeds and pages."""
        return selection_querystring(self.selection)


class EventListView(EventSelectionMixin, LenientPaginationMixin, ListView):
    template_name = "events/event_list.html"
    extra_context = {"section": "events"}
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self) -> UpcomingFirst:
        return in_list_order(self.selection, self.selection.qs.for_list())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.selection.offer_choices()
        context.update(filter=self.selection, selection=self.selection_querystring())
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
