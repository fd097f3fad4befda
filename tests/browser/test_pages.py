"""The public site in a real browser: every page type in every language, the switcher, the map,
the filters without JavaScript, the calendar download, no request off the site, a phone's width."""

from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest

from tests.browser.conftest import LANGUAGES

pytestmark = pytest.mark.django_db(transaction=True)


def visit(page, url, status=200):
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: HTTP {response.status}"
    return response


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_shows_its_content_in_the_language(page, pages, lang):
    for kind in pages:
        url = kind.urls[lang]
        visit(page, url, kind.status)
        assert page.get_attribute("html", "lang") == lang, url
        assert page.locator("main h1").first.inner_text().strip(), f"{url}: no heading"
        if kind.text:
            assert kind.text[lang] in page.locator("main").inner_text(), f"{kind.name} ({url})"


def test_the_language_switcher_keeps_the_visitor_on_the_same_partner(page, site):
    visit(page, f"/ru/partners/{site.hanoi.slug}/")
    page.click("nav.languages a[hreflang=en]")
    assert urlsplit(page.url).path == f"/en/partners/{site.hanoi.slug}/"
    assert page.locator("main h1").inner_text().strip() == "Hanoi"
    page.click("nav.languages a[hreflang=vi]")
    assert urlsplit(page.url).path == f"/vi/partners/{site.hanoi.slug}/"
    assert page.get_attribute("html", "lang") == "vi"
    assert "Hà Nội" in page.locator("main h1").inner_text()


def test_the_language_switcher_keeps_the_event_and_the_filters(page, site):
    visit(page, f"/en/events/{site.hanoi_days.pk}/")
    page.click("nav.languages a[hreflang=ru]")
    assert urlsplit(page.url).path == f"/ru/events/{site.hanoi_days.pk}/"
    assert "Дни Ханоя" in page.locator("main h1").inner_text()
    visit(page, "/en/events/?year=2024")
    page.click("nav.languages a[hreflang=vi]")
    assert urlsplit(page.url).path == "/vi/events/" and urlsplit(page.url).query == "year=2024"


def test_a_marker_on_the_directory_map_leads_to_the_partner(page, site):
    visit(page, "/en/partners/")
    marker = page.locator(f'svg a.partner-map__marker[href="/en/partners/{site.hanoi.slug}/"]')
    assert marker.count() == 1
    marker.click()
    page.wait_for_url(f"**/en/partners/{site.hanoi.slug}/")
    assert page.locator("main h1").inner_text().strip() == "Hanoi"


def test_the_region_filter_is_a_plain_get_form(page_without_js, site):
    page = page_without_js
    visit(page, "/en/partners/")
    page.select_option("form.filters select[name=region]", "europe")
    page.click("form.filters button[type=submit]")
    assert "region=europe" in urlsplit(page.url).query
    main = page.locator("main").inner_text()
    assert "Turku" in main
    assert "Hanoi" not in page.locator("main .results .partner-cards").all_inner_texts().__str__()


def test_a_member_finds_the_events_with_vietnam_in_2024_and_takes_the_calendar(page, site):
    visit(page, "/en/events/")
    page.select_option("form.event-filter select[name=country]", "VN")
    page.fill("form.event-filter input[name=year]", "2024")
    page.click("form.event-filter button[type=submit]")
    query = urlsplit(page.url).query
    assert "country=VN" in query and "year=2024" in query
    found = page.locator("main .event-list").inner_text()
    assert "Days of Hanoi" in found and "Forum in Ho Chi Minh City" in found
    assert "Visit of 2023" not in found and "Days of Turku" not in found

    link = page.locator('main p.subscribe a[type="text/calendar"]')
    href = link.get_attribute("href")
    assert "country=VN" in href and "year=2024" in href
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    calendar = icalendar.Calendar.from_ical(Path(path).read_bytes())
    titles = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    # the forum is dated by its month only: one tentative day that says so, not a month-long block
    assert titles == ["Days of Hanoi", "Forum in Ho Chi Minh City (exact date not stated: November 2024)"]


@pytest.mark.parametrize("lang", ["ru", "vi"])
def test_pages_work_without_javascript(page_without_js, pages, lang):
    for kind in pages:
        url = kind.urls[lang]
        visit(page_without_js, url, kind.status)
        assert page_without_js.locator("main h1").first.is_visible(), url
        if kind.text:
            assert kind.text[lang] in page_without_js.locator("main").inner_text(), url


def test_no_request_leaves_the_site(page, pages):
    for lang in LANGUAGES:
        for kind in pages:
            visit(page, kind.urls[lang], kind.status)
            page.wait_for_load_state("networkidle")
    offsite = [
        url
        for url in page.requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != page.live_host
    ]
    assert page.requests and not offsite


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_360_px_screen_needs_no_horizontal_scroll(narrow_page, pages, lang):
    wide = {}
    for kind in pages:
        visit(narrow_page, kind.urls[lang], kind.status)
        width = narrow_page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[kind.name] = width
    assert not wide


def test_on_a_phone_the_events_list_offers_a_way_past_the_filters(narrow_page, page, site):
    visit(narrow_page, "/en/events/")
    skip = narrow_page.get_by_role("link", name="Skip the filters")
    assert skip.is_visible()
    skip.click()
    assert narrow_page.url.endswith("#results")
    results = narrow_page.locator("#results").bounding_box()
    assert 0 <= results["y"] < 740  # the count and the first events are on screen
    visit(page, "/en/events/")  # a wide screen shows the filters and the results together
    assert not page.get_by_role("link", name="Skip the filters").is_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_year_in_review_chart_is_seen_whole_at_a_desktop_and_a_phone_width(
    browser, live_server, site, width, tmp_path
):
    from tests.browser.conftest import _new_page

    context, page = _new_page(browser, live_server, viewport={"width": width, "height": 900})
    try:
        visit(page, "/en/events/2024/review/")
        chart = page.get_by_role("img", name="Events of 2024 by month and region")
        assert chart.count() == 1 and chart.is_visible()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["width"] > width / 3
        bars = page.locator("figure.review-chart svg[role=img] rect")
        assert bars.count() == 3  # March (Europe), July and November (Asia)
        for index in range(bars.count()):
            bar = bars.nth(index).bounding_box()
            assert bar["width"] > 4 and bar["x"] + bar["width"] <= box["x"] + box["width"] + 1
        label = page.locator("figure.review-chart svg text", has_text="July — 1").bounding_box()
        assert label["height"] >= 12  # the labels keep their size on a phone
        assert "Asia: 2" in page.locator("figure.review-chart figcaption").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        chart.screenshot(path=str(tmp_path / f"chart-{width}.png"))
    finally:
        context.close()
