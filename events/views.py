from django.views.generic import DetailView, ListView

from events.models import Event


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        return Event.objects.published().prefetch_related("partners").order_by("-start_on", "pk")


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.published().prefetch_related("partners__country", "societies")
