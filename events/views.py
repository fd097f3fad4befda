from functools import cached_property

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from core.cache import derived
from core.filter_forms import kept_filter_form
from core.i18n import translated_columns
from core.pagination import LenientPaginationMixin, selection_querystring
from core.publishing import public
from events.filters import MAX_YEAR, MIN_YEAR, EventFilter, UpcomingFirst
from events.models import Event, choice_label
from events.review import year_in_review
from events.review_chart import month_chart
from events.selection import event_selection, in_list_order
from events.structured_data import event_json_ld, json_ld_script
from partners.models import Partner


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
        context.update(filter_form=self.filter_form(), selection=self.selection_querystring())
        context["review_year"] = self.review_year(context)
        return context

    def filter_form(self) -> SafeString:
        return kept_filter_form(
            self.selection,
            "events/includes/filter_form.html",
            name="event-filter-form",
            prepare=self.selection.offer_choices,
        )

    def review_year(self, context) -> int | None:
        """The year whose review the list links to: the year chosen, or the latest year of the past events shown."""
        chosen = self.selection.form.cleaned_data.get("year")
        if chosen and context["paginator"].count:
            return int(chosen)
        past = [event.last_day.year for event in context["events"] if event.past_rank]
        return max(past, default=None)


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    extra_context = {"section": "events"}
    context_object_name = "event"
    related_count = 5

    def get_queryset(self):
        # Every link, drafts too, so that the page's cache tags name them all: publishing one reaches the page.
        return Event.objects.published().prefetch_related(
            Prefetch("partners", queryset=Partner.objects.select_related("country")), "reported_under", "societies"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, today = self.object, timezone.localdate()
        partners, rows = public(event.partners.all()), public(event.reported_under.all())
        state = event.state_on(today)
        language = get_language() or "ru"
        context.update(
            json_ld=json_ld_script(event_json_ld(event, self.request, partners=partners)),
            partners=partners,
            # Said only where the report's row differs from the partners the event concerns.
            reported_under=rows if {p.pk for p in rows} != {p.pk for p in partners} else [],
            societies=public(event.societies.all()),
            state=state,
            state_label=choice_label(Event.State, state) if state else "",
            source_translated=language != "ru" and bool(getattr(event, f"report_text_{language}", "")),
            related=self.related(event, partners) if partners else [],
        )
        return context

    def related(self, event: Event, partners: list[Partner]) -> list[Event]:
        """The newest other events of its partners, kept as a derived value until one of their events changes."""

        def newest() -> list[Event]:
            shown = (*Event.PERIOD_COLUMNS, *translated_columns("title"))
            return list(Event.objects.published().related_to(event, partners).only(*shown)[: self.related_count])

        return derived(f"event-related:{event.pk}", newest, subject=event)


class YearReviewView(TemplateView):
    """A year at a glance: figures, a chart of events by month and region, the most active partners, new agreements."""

    template_name = "events/year_review.html"
    extra_context = {"section": "events"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        review = year_in_review(year) if MIN_YEAR <= year <= MAX_YEAR else None
        if review is None:
            raise Http404("no published event in this year")
        context.update(review=review, chart=month_chart(review, get_language() or "ru"))
        return context
