"""Text shown in another language than the page's says so: its lang, and a label everyone sees and hears."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {"en": "In Russian", "vi": "Bằng tiếng Nga"}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_russian_text_on_english_and_vietnamese_pages_carries_a_visible_label(page, site, lang):
    page.goto(f"/{lang}/events/{site.russian_only.pk}/")
    heading = page.locator("main h1")
    assert heading.locator('[lang="ru"]').inner_text() == "Визит делегации Ханоя"
    label = heading.locator(".fallback-label")
    assert label.is_visible() and label.inner_text() == LABELS[lang]
    box = label.bounding_box()
    assert box["width"] > 20 and box["height"] >= 10  # seen, not a tooltip
    # real text: part of the heading's accessible name, which screen readers announce
    assert page.get_by_role("heading", name=f"Визит делегации Ханоя {LABELS[lang]}").count() == 1
    note = page.locator("main .fallback-note")
    assert note.is_visible() and LABELS[lang] in note.inner_text()
    assert page.locator('main div[lang="ru"]').inner_text() == "Делегация посетила Дом дружбы."


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_list_row_in_russian_is_marked(page, site, lang):
    page.goto(f"/{lang}/events/")
    link = page.get_by_role("link", name=f"Визит делегации Ханоя {LABELS[lang]}")
    assert link.count() == 1 and link.locator(".fallback-label").is_visible()
    footer = page.locator("footer address.contacts")
    assert footer.locator('[lang="ru"]').inner_text() == "Санкт-Петербург, Дом дружбы"
    assert footer.locator(".fallback-label").inner_text() == LABELS[lang]


def test_russian_pages_have_no_label(page, site):
    page.goto(f"/ru/events/{site.russian_only.pk}/")
    assert page.locator(".fallback, .fallback-label, .fallback-note").count() == 0
    assert page.locator("main h1").inner_text() == "Визит делегации Ханоя"
