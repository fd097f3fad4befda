import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect
from partners.models import Country, Partner, PartnerStatus, Region

# text, not type=number: a bad value is shown back as typed, which type=number forbids in valid HTML
YEAR_INPUT = forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"})


class PartnerFilter(django_filters.FilterSet):
    """The partner directory's filters; unknown values are form errors, never a 500."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="country__region",
        queryset=Region.objects.with_published_partners(),
        to_field_name="code",
        empty_label=_("All regions"),
        widget=QuickSelect,
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.with_published_partners(),
        to_field_name="code",
        empty_label=_("All countries"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of partner"), choices=Partner.Kind.choices, empty_label=_("Any kind"), widget=QuickSelect
    )
    ties_from = django_filters.NumberFilter(
        label=_("Ties since (from year)"),
        field_name="ties_since_on",
        lookup_expr="year__gte",
        min_value=1000,
        max_value=2999,
        widget=YEAR_INPUT,
    )
    ties_to = django_filters.NumberFilter(
        label=_("Ties since (up to year)"),
        field_name="ties_since_on",
        lookup_expr="year__lte",
        min_value=1000,
        max_value=2999,
        widget=YEAR_INPUT,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="current_status",
        choices=PartnerStatus.Status.choices,
        empty_label=_("Any status"),
        widget=QuickSelect,
    )

    class Meta:
        model = Partner
        fields = ["region", "country", "kind", "ties_from", "ties_to", "status"]
