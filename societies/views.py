from django.views.generic import DetailView, ListView

from core.i18n import translated_columns
from core.pagination import LenientPaginationMixin
from core.sorting import sorted_by_name
from partners.models import Partner
from societies.models import Society


class SocietyListView(LenientPaginationMixin, ListView):
    template_name = "societies/society_list.html"
    context_object_name = "societies"
    extra_context = {"section": "societies"}
    paginate_by = 60

    def get_queryset(self):
        """Every published society in reading order — by kind, then by name as shown — loaded light.

        Names sort in Python (the database's collation does not sort them the way readers
        expect), so the order needs them all; only the page's societies are loaded in full.
        """
        kinds = [kind for kind, _label in Society.Kind.choices]
        light = Society.objects.published().only("kind", *translated_columns("name"))
        return sorted(sorted_by_name(light), key=lambda society: kinds.index(society.kind))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        full = Society.objects.prefetch_related("countries").in_bulk([society.pk for society in context["societies"]])
        societies = [full[society.pk] for society in context["societies"]]
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
