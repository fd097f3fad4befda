from itertools import groupby

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from core.cache import derived
from core.filter_forms import kept_filter_form
from core.fragments import rendered_each
from core.pagination import LenientPaginationMixin, selection_querystring
from core.sorting import sorted_by_name
from events.activity import dormant_before_year, with_last_activity
from events.models import Event
from partners.filters import PartnerFilter
from partners.glance import partnership_glance
from partners.map import region_map, world_map
from partners.models import Country, Partner, agreements_with_milestones
from societies.models import Society

# The partner page names a few other partners and societies of its country; the country page lists them all.
NEIGHBOURS_SHOWN = 12


def group_by_region(partners: list[Partner]) -> list[dict]:
    """Region (report order) → country (by name) → partners (by name)."""
    partners = sorted(partners, key=lambda partner: partner.country.region.position)
    regions = []
    for region, in_region in groupby(partners, key=lambda partner: partner.country.region):
        by_country = {}
        for partner in in_region:
            by_country.setdefault(partner.country, []).append(partner)
        countries = [
            {"country": country, "partners": sorted_by_name(by_country[country])}
            for country in sorted_by_name(by_country)
        ]
        regions.append({"region": region, "countries": countries})
    return regions


def with_cards(regions: list[dict], dormant_before: int) -> list[dict]:
    """Each country's partner cards (``{% for card in item.cards %}``), the page's cards fetched or rendered at once."""
    partners = [partner for region in regions for item in region["countries"] for partner in item["partners"]]
    template = "partners/includes/partner_card.html"
    cards = iter(rendered_each(partners, template, "partner", dormant_before=dormant_before))
    for region in regions:
        for item in region["countries"]:
            item["cards"] = [next(cards) for _partner in item["partners"]]
    return regions


class PartnerListView(LenientPaginationMixin, ListView):
    template_name = "partners/partner_list.html"
    context_object_name = "partners"
    extra_context = {"section": "partners"}
    # Every partner of the real directory fits on one page; the limit keeps the page light at any size.
    paginate_by = 150

    def get_queryset(self):
        self.filterset = PartnerFilter(
            self.request.GET or None, queryset=with_last_activity(Partner.objects.for_directory())
        )
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else self.filterset.queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = list(context["partners"])
        selection = selection_querystring(self.filterset) if self.filterset.is_bound else ""
        dormant_before = dormant_before_year()
        context.update(
            filter=self.filterset,
            filter_form=kept_filter_form(self.filterset, "partners/includes/filter_form.html", name="partners-filter"),
            selection=selection,
            regions=with_cards(group_by_region(partners), dormant_before),
            result_count=context["paginator"].count,
            dormant_before=dormant_before,
            any_dormant=any(partner.is_dormant(dormant_before) for partner in partners),
            # The rows the list already fetched; zoomed on them when filters choose them.
            partners_map=world_map(partners, framed=bool(selection) and self.filterset.is_valid()),
        )
        return context


class PartnerDetailView(DetailView):
    template_name = "partners/partner_detail.html"
    context_object_name = "partner"
    extra_context = {"section": "partners"}

    def get_queryset(self):
        return partner_page_records(Partner.objects.published())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        events = list(Event.objects.published().filter(partners=partner).order_by("-start_on", "pk"))
        # What the directory reads through two subqueries, the page has in rows it loads anyway.
        partner.last_activity_on = events[0].start_on if events else None
        sourced = partner.sourced_statuses
        context.update(
            events_by_year=[
                {"year": year, "events": list(items)} for year, items in groupby(events, key=lambda e: e.start_on.year)
            ],
            glance=partnership_glance(partner, events, get_language() or "ru"),
            statuses=sourced,
            status=sourced[-1] if sourced else None,
            **country_neighbours(partner),
            dormant_before=dormant_before_year(),
            partner_map=region_map(partner),
        )
        return context


def partner_page_records(partners: QuerySet) -> QuerySet:
    """What a partner's page reads of ``partners``: the published ones, or any one in a staff preview.

    Its status and last activity come from the statuses and events the page loads (no subqueries)."""
    return partners.select_related("country__region").prefetch_related(agreements_with_milestones(), "statuses")


def a_few(queryset: QuerySet, *order: str) -> tuple[list, bool]:
    """The first ``NEIGHBOURS_SHOWN`` records in ``order``, by name; and whether there are more."""
    first = list(queryset.order_by(*order)[: NEIGHBOURS_SHOWN + 1])
    return sorted_by_name(first[:NEIGHBOURS_SHOWN]), len(first) > NEIGHBOURS_SHOWN


def country_neighbours(partner: Partner) -> dict:
    """A few other partners of the country (the longest ties first) and of its societies (the first entered).

    Kept as a derived value until a partner or a society of the country changes (not by the events that
    make up most edits).
    """

    def neighbours() -> dict:
        others = Partner.objects.published().filter(country_id=partner.country_id).exclude(pk=partner.pk)
        siblings, more_siblings = a_few(others, "ties_since_on", "pk")
        societies, more_societies = a_few(Society.objects.published().filter(countries=partner.country_id), "pk")
        return {
            "siblings": siblings,
            "more_siblings": more_siblings,
            "societies": societies,
            "more_societies": more_societies,
        }

    return derived(f"partner-neighbours:{get_language()}:{partner.pk}", neighbours, subject=partner)


class CountryDetailView(DetailView):
    template_name = "partners/country_detail.html"
    context_object_name = "country"
    extra_context = {"section": "partners"}

    def get_object(self, queryset=None):
        return get_object_or_404(Country.objects.select_related("region"), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = sorted_by_name(with_last_activity(Partner.objects.for_directory().filter(country=self.object)))
        dormant_before = dormant_before_year()
        context.update(
            partners=partners,
            societies=Society.objects.published().filter(countries=self.object),
            dormant_before=dormant_before,
            any_dormant=any(partner.is_dormant(dormant_before) for partner in partners),
        )
        return context
