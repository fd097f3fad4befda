from django.views.generic import DetailView, ListView

from societies.models import Society


class SocietyListView(ListView):
    template_name = "societies/society_list.html"
    context_object_name = "societies"

    def get_queryset(self):
        return Society.objects.published().prefetch_related("countries")


class SocietyDetailView(DetailView):
    template_name = "societies/society_detail.html"
    context_object_name = "society"

    def get_queryset(self):
        return Society.objects.published().prefetch_related("countries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.events.filter(is_published=True).order_by("-start_on")
        return context
