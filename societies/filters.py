import django_filters
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect
from partners.models import Country
from societies.models import Society


class SocietyFilter(django_filters.FilterSet):
    """Societies by the country they work with and by kind; unknown values are form errors, never a 500."""

    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="countries",
        queryset=Country.objects.all(),
        to_field_name="code",
        empty_label=_("All countries"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Society.Kind.choices, empty_label=_("all"), widget=QuickSelect
    )

    class Meta:
        model = Society
        fields = ["country", "kind"]
