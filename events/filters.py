"""The one definition of an event selection, shared by the list, the calendar and Atom feeds.

Every filter has an explicit lazy label (django-filter does not translate field names).
Free text goes through the site search's index, which holds the ``_ru/_en/_vi`` text
as each language shows it, so a title shown through the fallback is found too.
Bad values never fail the request: the form reports them and that filter is ignored.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect
from events.filter_choices import offer_choices
from events.models import Event, title_in_language
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


def sort_events(queryset: QuerySet, sort: str | None, *, today: date | None = None) -> QuerySet:
    """Upcoming events always come before past ones; ``sort`` orders within each group."""
    today = today or timezone.localdate()
    past_order = None
    if sort == Sort.NEWEST:
        order = [F("start_on").desc(), F("pk").desc()]
    elif sort == Sort.OLDEST:
        order = [F("start_on").asc(), F("pk").asc()]
    elif sort == Sort.TITLE:
        queryset = queryset.annotate(sort_title=title_in_language())
        order = [F("sort_title").asc(), F("pk").asc()]
    else:
        upcoming_start = Case(When(last_day__gte=today, then=F("start_on")))
        order = [upcoming_start.asc(nulls_last=True), F("start_on").desc(), F("pk").desc()]
        past_order = [F("start_on").desc(), F("pk").desc()]  # the same for past events, in the form an index has
    return queryset.upcoming_first(order, past_order, today=today)


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
        queryset=Region.objects.all(),
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
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=Sort.CHOICES,
        method="filter_nothing",
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
        self.form.fields["sort"].required = False
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

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_sorted_qs"):
            filtered = super().qs  # validates the form: invalid values are dropped from cleaned_data
            sort = self.form.cleaned_data.get("sort") if self.is_bound else None
            self._sorted_qs = sort_events(filtered, sort, today=self.today)
        return self._sorted_qs

    def filter_nothing(self, queryset, name, value):
        return queryset

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
