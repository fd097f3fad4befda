"""The public lists' filter forms, kept rendered.

Their selects list hundreds of options (countries, partners, societies) whose labels are
translated and sorted by name; rendering them was a third of a list page's time. A form
depends only on the language, the values asked for and its choices, so it is kept as a
derived value (``core.cache.derived``): the same for every page of a selection, and
rendered again once what its choices were read from changes.
"""

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.cache import derived


def kept_filter_form(filterset, template: str, *, name: str, prepare: Callable[[], None] | None = None) -> SafeString:
    """``template`` rendered with ``filter=filterset``, kept per language and filter values (not the page number).

    ``prepare`` runs before a render only (setting the choices the selects offer, say).
    """
    values = urlencode(sorted((key, value) for key, value in filterset.data.items() if key != "page"))
    digest = hashlib.sha256(values.encode()).hexdigest()

    def render() -> SafeString:
        if prepare is not None:
            prepare()
        return render_to_string(template, {"filter": filterset})

    return derived(f"{name}:{get_language()}:{digest}", render)
