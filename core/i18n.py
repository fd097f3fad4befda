"""The language fallback, in one place.

Content is translated with modeltranslation: a text missing in the visitor's language
is shown in the next language of ``MODELTRANSLATION_FALLBACK_LANGUAGES`` (vi → en → ru,
en → ru). Pages mark such text with its real language, for readers and screen readers.
"""

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

#: What a page says beside text shown in another language than its own: a visible label, real text that
#: screen readers announce. A language without one here is named by its name alone.
LANGUAGE_LABELS = {"ru": _("In Russian"), "en": _("In English"), "vi": _("In Vietnamese")}


def current_language() -> str:
    """The language of the request (or of ``translation.override``), as the base code: ``vi``."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def language_chain(language: str | None = None) -> list[str]:
    """The visitor's language followed by its fallbacks: ``vi`` → ``["vi", "en", "ru"]``."""
    language = (language or current_language()).split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    chain = [language, *fallbacks.get(language, fallbacks["default"])]
    return list(dict.fromkeys(chain))


def text_in_language(instance, field: str, language: str | None = None) -> tuple[str, str]:
    """The text of ``field`` to show, and the language it is actually in."""
    chain = language_chain(language)
    for code in chain:
        value = getattr(instance, build_localized_fieldname(field, code), None)
        if value:
            return value, code
    return "", chain[0]


def language_label(language: str) -> str:
    """«In Russian» in the current language: the label of text shown in ``language`` through the fallback."""
    return str(LANGUAGE_LABELS.get(language) or get_language_info(language)["name_translated"])


def translated_columns(field: str) -> list[str]:
    """The columns holding ``field`` in every language (``name_ru``, ``name_en``, ``name_vi``), e.g. for ``only()``."""
    return [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]


def translated_values(instance, field: str) -> list[str]:
    """``field`` in every language, in the order of ``LANGUAGES`` (blank where untranslated)."""
    return [getattr(instance, column, "") or "" for column in translated_columns(field)]


def in_language(field: str, language: str | None = None):
    """``field`` (a path such as ``country__name``) as shown in ``language``: the first non-empty text of its
    fallback chain, as an expression for ordering and filtering in the database."""
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Coalesce, NullIf

    columns = (NullIf(F(build_localized_fieldname(field, code)), Value("")) for code in language_chain(language))
    return Coalesce(*columns, Value(""), output_field=TextField())
