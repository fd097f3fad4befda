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
