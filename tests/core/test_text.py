"""The text helpers every comparison and every plain-text output goes through."""

import json
import re

import pytest

from core.sorting import name_key
from core.text import fold, fold_words, plain_text, strip_accents
from tests.factories import make_event


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("  HO   CHI\nMINH ", "ho chi minh"),
        ("Đà Nẵng", "da nang"),
        ("Ёлки", "елки"),
        ("Straße", "strasse"),
        ("Больница № 20", "больница no 20"),
        ("", ""),
    ],
)
def test_fold_ignores_case_accents_and_spacing(text, folded):
    assert fold(text) == folded


def test_strip_accents_keeps_case_and_letters():
    assert strip_accents("Thành phố Hồ Chí Minh") == "Thanh pho Ho Chi Minh"
    assert strip_accents("Đà Nẵng") == "Da Nang"


def test_fold_words_ignores_punctuation_too():
    assert fold_words("Визит делегации (г. Хошимин)!") == "визит делегации г хошимин"
    assert fold_words("«Дни  Санкт-Петербурга»") == fold_words("дни санкт петербурга")


def test_names_sort_folded_with_the_exact_text_breaking_ties():
    names = ["Ёлки", "Da Lat", "Жуков", "Đà Nẵng", "Елки", "Берлин"]
    assert sorted(names, key=name_key) == ["Da Lat", "Đà Nẵng", "Берлин", "Ёлки", "Елки", "Жуков"]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Lanterns &amp; music</p>", "Lanterns & music"),
        ("<p>One.</p><p>Two.</p>", "One. Two."),
        ("Line<br>next<br/>last", "Line next last"),
        ("<ul><li>a</li><li>b</li></ul>", "a b"),
        ("<b>S</b>t. Petersburg", "St. Petersburg"),
        ("  spaced\n\n&nbsp;out  ", "spaced out"),
        ("&lt;script&gt; stays text", "<script> stays text"),
        ("Строка с < и & внутри", "Строка с < и & внутри"),
        ("", ""),
    ],
)
def test_plain_text_strips_tags_decodes_entities_and_collapses_whitespace(markup, text):
    assert plain_text(markup) == text


def _json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


@pytest.mark.django_db
def test_the_event_description_in_json_ld_is_plain_text(client):
    event = make_event(description_en="<p>Lanterns &amp; music</p><p>Dance &quot;till&quot; dawn</p>")
    data = _json_ld(client.get(f"/en/events/{event.pk}/").text)
    assert data["description"] == 'Lanterns & music Dance "till" dawn'
    assert "&amp;" not in data["description"]
    assert "<" not in data["description"]
