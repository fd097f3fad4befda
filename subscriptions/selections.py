"""A subscription's selection: the events list's filters, kept as text and shown to people.

What is kept is ``selection_querystring`` of the list's selection (its valid, non-empty
filters, a preset partner, society or country included) without the sort, which selects
nothing, and in the filters' own order, so that the same selection reached by two links
is one selection. ``events.selection.stored_selection`` builds it again.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext as _

from core.pagination import selection_querystring
from events.filters import EventFilter
from events.selection import shown_value

#: Filters that order the list and select nothing.
NOT_SELECTING = frozenset({"sort"})
#: Characters no value of a subscription may hold: they could end up in a mail's headers.
CONTROL = frozenset(chr(code) for code in range(32)) | {"\x7f"}
MAX_LENGTH = 2000


class InvalidSelection(ValueError):
    """A selection that cannot be kept: each message names the filter and what is wrong with it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def has_control_characters(*values: str) -> bool:
    return any(CONTROL.intersection(value) for value in values)


def selection_filters() -> list[str]:
    return [name for name in EventFilter.base_filters if name not in NOT_SELECTING]


def selection_text(selection: EventFilter) -> str:
    """The text kept for ``selection``; ``InvalidSelection`` if a value is not understood."""
    raw = [str(value) for value in selection.data.values() if value is not None]
    if has_control_characters(*raw):
        raise InvalidSelection([_("The selection holds characters that are not allowed.")])
    if errors := selection_errors(selection):
        raise InvalidSelection(errors)
    order = selection_filters()
    pairs = [(key, value) for key, value in parse_qsl(selection_querystring(selection)) if key in order]
    text = urlencode(sorted(pairs, key=lambda pair: order.index(pair[0])))
    if len(text) > MAX_LENGTH:
        raise InvalidSelection([_("The selection is too long.")])
    return text


def selection_errors(selection: EventFilter) -> list[str]:
    """«Country: Select a valid choice…» for each filter whose value is not understood."""
    selection.form.is_valid()
    messages = []
    for name, errors in selection.form.errors.items():
        if name in NOT_SELECTING:
            continue
        label = selection.form.fields[name].label if name in selection.form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.append(f"{label}: {text}" if label else text)
    return messages


def selection_terms(selection: EventFilter) -> list[tuple[str, str]]:
    """The filters of a valid selection as (label, value) pairs in the current language, for people to read."""
    selection.form.is_valid()
    values = selection.form.cleaned_data
    terms = []
    for name in selection_filters():
        value = values.get(name)
        if value in (None, "", []):
            continue
        field = selection.form.fields[name]
        terms.append((str(field.label), shown_value(field, value)))
    return terms
