"""The choices the events filter lists in its selects of regions, countries, partners and societies.

They are derived from the content once per content version and language (they change
only when the content does), and a list too long for a ``<select>`` is not offered:
past ``CHOICE_LIMIT`` records the form asks for a country first. Only what is listed
changes — each field still accepts every record of its queryset, so a link naming any
published partner (``?partner=<slug>``) stays valid.
"""

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import get_language

from core.cache import derived
from core.i18n import translated_columns
from core.sorting import sorted_by_name

# A <select> longer than this is unusable, and it weighs on every list page.
CHOICE_LIMIT = 200

Options = list[tuple[str, str]]


def listing(queryset: QuerySet, value_field: str, *, by_name: bool) -> Options | None:
    """``(value, label)`` of every record (by name, or in the queryset's order); None past ``CHOICE_LIMIT``."""
    queryset = queryset.only(value_field, *translated_columns("name"))
    # In no order, so the probe stops after CHOICE_LIMIT + 1 rows.
    if queryset.order_by()[CHOICE_LIMIT : CHOICE_LIMIT + 1].exists():
        return None
    records = sorted_by_name(queryset) if by_name else list(queryset)
    return [(getattr(record, value_field), str(record)) for record in records]


def offer_choices(
    bound: forms.BoundField,
    *,
    key: str,
    scope: Q | None = None,
    selected: Model | None = None,
    hint: str = "",
    by_name: bool = True,
) -> None:
    """Set what the select of ``bound`` lists: the records in ``scope`` (all by default), and ``selected``.

    ``key`` names the list in the derived-values cache (with the language); when the list
    is too long, ``hint`` is shown under the select instead.
    """
    field = bound.field
    queryset = field.queryset if scope is None else field.queryset.filter(scope).distinct()
    value_field = field.to_field_name
    options = derived(f"event-filter:{key}:{get_language()}", lambda: listing(queryset, value_field, by_name=by_name))
    if options is None:
        options = []
        bound.help_text = hint
    if selected is not None and getattr(selected, value_field) not in {value for value, _label in options}:
        options = [*options, (getattr(selected, value_field), str(selected))]
    field.widget.choices = [("", field.empty_label), *options]
