"""Machine-read addresses with a filter value that is not valid: a plain 400, never the unfiltered set.

A page shows a bad value back in its form and ignores it. A calendar, a feed or a data file
cannot: a mistyped ``year=abc`` that silently selected everything would fill a subscriber's
calendar with every event. They answer 400 with a message that names each value refused.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

MAX_SHOWN = 80


def filter_problems(form) -> list[str]:
    """``year=abc: Enter a whole number.`` for each value of a bound filter form that it refuses."""
    form.is_valid()
    return [
        f"{name}={str(form.data.get(name, ''))[:MAX_SHOWN]}: {' '.join(str(error) for error in errors)}"
        for name, errors in form.errors.items()
    ]


def bad_filters_response(problems: list[str], *, choices_url: str) -> HttpResponseBadRequest:
    """The 400 of an address whose filters hold ``problems``, in plain text in the request's language."""
    lines = [
        _("This address filters by values that are not valid:"),
        *(f"  {problem}" for problem in problems),
        _("Correct or remove them; this page offers the valid choices: %(url)s") % {"url": choices_url},
        "",
    ]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
