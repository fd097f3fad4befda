"""The filters of an event selection, and the order of the events list.

Every filter has an explicit lazy label (django-filter does not translate field names).
Free text goes through the site search's index, which holds the ``_ru/_en/_vi`` text
as each language shows it, so a title shown through the fallback is found too.
Bad values never fail the request: the form reports them and that filter is ignored.
The list, the calendar and the Atom feed build their selection in ``events.selection``.
"""

from collections.abc import Iterator
from datetime import date

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect
from events.filter_choices import offer_choices
from events.models import Event, EventQuerySet, title_in_language
from partners.models import Country, Partner, Region
from societies.models import Society

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_TEXT = 200


class Timing:
    UPCOMING = "upcoming"
    PAST = "past"
    CHOICES = [(UPCOMING, _("upcoming")), (PAST, _("past"))]


class Sort:
    DATE = "date"
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    CHOICES = [
        (DATE, _("soonest upcoming, then latest past")),
        (NEWEST, _("newest first")),
        (OLDEST, _("oldest first")),
        (TITLE, _("title")),
    ]


class UpcomingFirst:
    """The events list: the upcoming events, then the past ones, each group in its own order.

    ``upcoming`` and ``past`` are plain querysets. ``order`` orders either group, so it also orders
    a page that holds both; ``past_order`` orders the past events the same way, in the form an index
    holds. A paginator takes the list as it takes a queryset: ``count()``, then a slice.
    """

    def __init__(
        self, events: EventQuerySet, order: list[OrderBy], past_order: list[OrderBy] | None = None, *, today: date
    ) -> None:
        self.events, self.order, self.today = events, order, today
        self.upcoming = events.upcoming(today).order_by(*order)
        self.past = events.past(today).order_by(*(past_order or order))

    def count(self) -> int:
        return self.events.count()

    def __getitem__(self, k: int | slice) -> Event | EventQuerySet:
        if isinstance(k, int):
            return self.rows(k, k + 1)[0]
        if k.step is not None:
            raise ValueError("A step is not supported.")
        return self.rows(k.start or 0, k.stop)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.rows(0, None))

    def first(self) -> Event | None:
        return next(iter(self.rows(0, 1)), None)

    def rows(self, start: int, stop: int | None) -> EventQuerySet:
        """Events ``start`` to ``stop`` of the list, in one query; each has ``past_rank`` (0 upcoming, 1 past).

        No index holds the order of the whole list: it starts with the group, which depends on today.
        These events are among the first ``stop`` of each group, which an index on the group's order
        finds without reading the rest of it; only those are sorted.
        """
        ids = self.upcoming[:stop].values("pk").union(self.past[:stop].values("pk"), all=True)
        past_rank = Case(When(last_day__lt=self.today, then=Value(1)), default=Value(0), output_field=IntegerField())
        page = self.events.filter(pk__in=ids).annotate(past_rank=past_rank).order_by("past_rank", *self.order)
        return page[start:stop]


def sort_events(events: EventQuerySet, sort: str | None, *, today: date | None = None) -> UpcomingFirst:
    """Upcoming events always come before past ones; ``sort`` orders within each group."""
    today = today or timezone.localdate()
    if sort == Sort.NEWEST:
        return UpcomingFirst(events, [F("start_on").desc(), F("pk").desc()], today=today)
    if sort == Sort.OLDEST:
        return UpcomingFirst(events, [F("start_on").asc(), F("pk").asc()], today=today)
    if sort == Sort.TITLE:
        return UpcomingFirst(events, [title_in_language().asc(), F("pk").asc()], today=today)
    upcoming_start = Case(When(last_day__gte=today, then=F("start_on")))
    order = [upcoming_start.asc(nulls_last=True), F("start_on").desc(), F("pk").desc()]
    return UpcomingFirst(events, order, past_order=[F("start_on").desc(), F("pk").desc()], today=today)


class SortChoice(django_filters.ChoiceFilter):
    """The list's order, chosen in the filter form; it filters nothing (``sort_events`` applies it)."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
            cleaned.pop("date_to", None)
        return cleaned


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Text"),
        method="filter_text",
        max_length=MAX_TEXT,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="filter_year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        # text, not type=number: a bad value is shown back as typed, which type=number forbids in valid HTML
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"}),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="last_day", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="start_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    when = django_filters.ChoiceFilter(
        label=_("Upcoming or past"),
        choices=Timing.CHOICES,
        method="filter_when",
        empty_label=_("all"),
        widget=QuickSelect,
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.with_published_partners(),  # not the reference geography's empty regions
        to_field_name="code",
        method="filter_region",
        empty_label=_("all"),
        widget=QuickSelect,
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.with_published_partners(),
        to_field_name="code",
        method="filter_country",
        empty_label=_("all"),
        widget=QuickSelect,
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Partner.objects.published().order_by("name"),
        to_field_name="slug",
        method="filter_partner",
        empty_label=_("all"),
        widget=QuickSelect,
    )
    society = django_filters.ModelChoiceFilter(
        label=_("Society"),
        queryset=Society.objects.published().order_by("name"),
        to_field_name="slug",
        method="filter_society",
        empty_label=_("all"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("all"), widget=QuickSelect
    )
    place = django_filters.ChoiceFilter(
        label=_("Where"), choices=Event.Place.choices, empty_label=_("anywhere"), widget=QuickSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Event.Status.choices, empty_label=_("all"), widget=QuickSelect
    )
    sort = SortChoice(
        label=_("Sort"),
        choices=Sort.CHOICES,
        empty_label=None,
        null_label=None,
        widget=QuickSelect,
    )

    class Meta:
        model = Event
        fields = ["q", "year", "date_from", "date_to", "when", "region", "country", "partner", "society"]
        fields += ["kind", "place", "status", "sort"]
        form = EventFilterForm

    def __init__(self, data=None, *args, today: date | None = None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.today = today or timezone.localdate()  # of the request, for «upcoming or past»

    def offer_choices(self) -> None:
        """Fill the selects of regions, countries, partners and societies, for a page that shows the form."""
        values = {}
        if self.is_bound:
            self.form.is_valid()  # cleans once; a bad value is dropped from cleaned_data and reported
            values = self.form.cleaned_data
        country = values.get("country")
        offer_choices(self.form["region"], key="regions", by_name=False)
        offer_choices(self.form["country"], key="countries", by_name=False)
        offer_choices(
            self.form["partner"],
            key=f"partners:{country.code}" if country else "partners",
            scope=Q(country=country) if country else None,
            selected=values.get("partner"),
            hint=_("Choose a country to list its partners."),
        )
        offer_choices(
            self.form["society"],
            key=f"societies:{country.code}" if country else "societies",
            scope=Q(countries=country) if country else None,
            selected=values.get("society"),
            hint=_("Choose a country to list its societies."),
        )

    def filter_text(self, queryset, name, value):
        """The site search's index: stemmed Russian and English, accent-free names, fallback text."""
        from core.search import entries_matching

        entries = entries_matching(value, get_language()).filter(kind="event")
        return queryset.filter(pk__in=entries.values("object_id"))

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    def filter_when(self, queryset, name, value):
        return queryset.upcoming(self.today) if value == Timing.UPCOMING else queryset.past(self.today)

    def filter_region(self, queryset, name, value):
        links = Event.partners.through.objects.filter(partner__country__region=value)
        return queryset.filter(pk__in=links.values("event_id"))

    def filter_country(self, queryset, name, value):
        return queryset.filter(pk__in=Event.partners.through.objects.filter(partner__country=value).values("event_id"))

    def filter_partner(self, queryset, name, value):
        return queryset.filter(pk__in=Event.partners.through.objects.filter(partner=value).values("event_id"))

    def filter_society(self, queryset, name, value):
        return queryset.filter(pk__in=Event.societies.through.objects.filter(society=value).values("event_id"))
