from django.views.generic import DetailView, ListView

from events.models import Event
from partners.map import region_map, world_map
from partners.models import Country, Partner, agreements_with_milestones


class PartnerListView(ListView):
    template_name = "partners/partner_list.html"
    context_object_name = "partners"

    def get_queryset(self):
        return Partner.objects.for_directory().order_by("country__region__position", "country__name", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Evaluates the list's own queryset once: the template's list reuses the fetched rows.
        context["partners_map"] = world_map(context["partners"])
        return context


class PartnerDetailView(DetailView):
    template_name = "partners/partner_detail.html"
    context_object_name = "partner"

    def get_queryset(self):
        return (
            Partner.objects.published()
            .select_related("country__region")
            .prefetch_related(agreements_with_milestones(), "statuses")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = Event.objects.published().filter(partners=self.object).order_by("-start_on", "pk")
        context["siblings"] = Partner.objects.published().filter(country=self.object.country).exclude(pk=self.object.pk)
        context["partner_map"] = region_map(self.object)
        return context


class CountryDetailView(DetailView):
    template_name = "partners/country_detail.html"
    context_object_name = "country"

    def get_queryset(self):
        return Country.objects.select_related("region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = Partner.objects.published().filter(country=self.object)
        return context
