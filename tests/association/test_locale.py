"""The message catalogues: complete for ru and vi, nothing fuzzy, placeholders kept."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["ru", "vi", "en"]
TRANSLATED = ["ru", "vi"]
PLURAL_FORMS = {
    "ru": (
        3,
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    ),
    "vi": (1, "0"),
    "en": (2, "(n != 1)"),
}
# %(name)s, %(name)d, %s, %d ... but not a literal %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def catalog(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def messages(language):
    return [message for message in catalog(language) if message.id]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def forms(message):
    return list(message.string) if message.pluralizable else [message.string]


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_is_complete_and_not_fuzzy(language):
    cat = catalog(language)
    assert not cat.fuzzy
    headers = dict(cat.mime_headers)
    assert headers["Language"] == language
    assert headers["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"
    nplurals, expression = PLURAL_FORMS[language]
    assert headers["Plural-Forms"].replace(" ", "") == f"nplurals={nplurals};plural={expression};".replace(" ", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    assert [message.id for message in messages(language) if message.fuzzy] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language):
    nplurals = PLURAL_FORMS[language][0]
    untranslated = [
        message.id
        for message in messages(language)
        if len(forms(message)) != (nplurals if message.pluralizable else 1) or not all(forms(message))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for message in messages(language):
        source = message.id[-1] if message.pluralizable else message.id
        expected = placeholders(source)
        for text in forms(message):
            if text and placeholders(text) != expected:
                wrong.append((source, text))
    assert wrong == []


def test_the_catalogues_hold_the_same_messages():
    ids = {language: {message.id for message in messages(language)} for language in LANGUAGES}
    assert ids["ru"] == ids["vi"] == ids["en"]


# --- every interface string shown, the admin's included, in Russian and Vietnamese --------------------------

ROOT = Path(__file__).resolve().parents[2]
OUR_SOURCES = ["core", "partners", "events", "societies", "subscriptions", "association", "templates"]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def source_messages(roots) -> dict[tuple[str | None, str], str]:
    """The strings marked for translation in the Python files and templates under ``roots``: (context, msgid) → file.

    Templates go through Django's own ``templatize`` (what ``makemessages`` does) before extraction.
    """
    import io

    from babel.messages.extract import extract
    from django.utils.translation.template import templatize

    found = {}
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if {"migrations", "tests", "__pycache__"} & set(path.parts):
                continue
            if path.suffix == ".py":
                source = path.read_bytes()
            elif path.suffix in (".html", ".txt") and "templates" in path.parts:
                lines = templatize(path.read_text(), origin=str(path)).splitlines()
                source = "\n".join(line.lstrip() for line in lines).encode()
            else:
                continue
            for _lineno, message, _comments, context in extract("python", io.BytesIO(source), KEYWORDS):
                found[(context, message if isinstance(message, str) else message[0])] = str(path)
    return found


def own_catalogue(language: str) -> set:
    """The keys of every catalogue Django merged for ``language``, without the fallback to the default language."""
    from django.utils.translation import trans_real

    merged = trans_real.translation(language)._catalog
    return set().union(*(set(catalogue) for catalogue in merged._catalogs))


def has(catalogue: set, context: str | None, msgid: str) -> bool:
    key = f"{context}\x04{msgid}" if context else msgid
    return key in catalogue or (key, 0) in catalogue  # a plural entry serves its singular too


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_portal_and_of_the_admin_apps_is_translated(language):
    """Our code and templates, and the apps the admin shows whose own catalogues fall short (axes, simple-history)."""
    import axes
    import simple_history

    roots = [ROOT / name for name in OUR_SOURCES] + [Path(app.__file__).parent for app in (axes, simple_history)]
    catalogue = own_catalogue(language)
    messages = source_messages(roots).items()
    untranslated = sorted(f"{path}: {msgid}" for (ctx, msgid), path in messages if not has(catalogue, ctx, msgid))
    assert untranslated == []


def test_vietnamese_never_falls_back_to_russian():
    """Django falls back to LANGUAGE_CODE (ru) where Vietnamese lacks a string: every Russian one has a Vietnamese one.

    Django's and the installed apps' own Vietnamese catalogues lack some strings (the admin's sidebar,
    django-axes and simple-history have none at all); our catalogue holds them.
    """
    russian, vietnamese = own_catalogue("ru"), own_catalogue("vi")
    missing = []
    for key in russian:
        if isinstance(key, tuple) and key[1]:
            continue  # Vietnamese has one plural form: the first
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and not has(vietnamese, None, msgid):
            missing.append(msgid.replace("\x04", " | "))
    assert sorted(missing) == []
