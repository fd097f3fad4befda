"""The report import's preview in a real browser, at a desktop's width and a phone's: the 2024 report
uploaded into a fresh site (the migrated geography, two partners), screenshots kept for a look."""

import os
from pathlib import Path

import pytest

from tests.events.conftest import REPORT_2024

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture
def staff_site(django_user_model):
    from partners.models import Country
    from tests.factories import make_event, make_partner
    from tests.partners.test_geography import migrate_geography

    migrate_geography()
    saigon = make_partner(country=Country.objects.get(code="VN"), name_ru="Хошимин", latitude=10.8, longitude=106.6)
    make_event(partners=[saigon], start="2024-05-17", end="2024-05-22", title_ru="Прошла Неделя Вьетнама")
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pass-word-123")


def preview(page, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/login/?next=/admin/events/reportimport/import/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/events/reportimport/import/")
    page.set_input_files("input[type=file]", str(REPORT_2024))
    page.fill("input[name=year]", "2024")
    page.click(".submit-row input[type=submit]", no_wait_after=True)  # the preview takes a while: waited for below
    page.wait_for_selector("input[name=confirm]", timeout=300_000)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_import_preview_fits_the_screen(page, staff_site, width):
    preview(page, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"import-preview-{width}.png"), full_page=False)
    tables = page.locator(".import-table")
    assert tables.count() == 4  # partners, agreements, events, items not understood
    # Every table stays within the page: at 360 px its rows become blocks, at 1280 it scrolls inside its box.
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.import-table')].map(t => t.getBoundingClientRect().right)"
    )
    assert max(overflow) <= width + 1, overflow
    body = page.locator("#content").inner_text()
    assert "already present" in body or "уже" in body  # the Vietnam Week is in the portal
    # A new partner's place from the gazetteer, ready to accept or correct.
    budapest = page.locator("tr", has_text="Будапешт").locator("input[name^=latitude-]")
    assert budapest.is_visible() and budapest.input_value() == "47.4984"
    event_boxes = page.locator("input[name=import-event]")
    assert event_boxes.count() == 90 and page.locator("input[name=import-event]:checked").count() == 89
