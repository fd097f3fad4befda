from django.views.generic import DetailView, ListView

from association.sorting import sorted_by_name
from partners.models import Partner
from societies.models import Society


class SocietyListView(ListView):
    template_name = "societies/society_list.html"
    context_object_name = "societies"
    extra_context = {"section": "societies"}

    def get_queryset(self):
        return Society.objects.published().prefetch_related("countries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        societies = sorted_by_name(context["societies"])
        context["groups"] = [
            {"label": label, "societies": [s for s in societies if s.kind == kind]}
            for kind, label in Society.Kind.choices
            if any(s.kind == kind for s in societies)
        ]
        return context


class SocietyDetailView(DetailView):
    template_name = "societies/society_detail.html"
    context_object_name = "society"
    extra_context = {"section": "societies"}

    def get_queryset(self):
        return Society.objects.published().prefetch_related("countries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            events=self.object.events.published().order_by("-start_on", "pk")[:50],
            partners=sorted_by_name(
                Partner.objects.published().filter(country__in=self.object.countries.all()).select_related("country")
            ),
        )
        return context
