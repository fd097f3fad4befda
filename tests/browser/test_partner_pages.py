"""The partner page's chart and the directory's map at a filter, as a browser draws them."""

import re
import shutil

import pytest

from partners.models import PartnerStatus
from tests.browser.conftest import LANGUAGES
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_html_validity import VNU_JAR, vnu_errors
from tests.factories import make_status

pytestmark = pytest.mark.django_db(transaction=True)

TARGET_PX = 24


def inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


@pytest.mark.parametrize("fixture", ["page", "narrow_page"])
def test_the_chart_is_drawn_inside_its_box_with_its_text_alternative(request, fixture):
    page = request.getfixturevalue(fixture)  # before the site: its transactional database comes first
    site = request.getfixturevalue("site")
    page.goto(f"/en/partners/{site.hanoi.slug}/")
    chart = page.locator("svg.glance-chart__svg")
    box = chart.bounding_box()
    assert box["width"] >= 280 and box["height"] >= 140
    bars = chart.locator("rect.glance-chart__bar")
    assert bars.count() == 3  # 2023, 2024 and 2025, one event each
    for index in range(bars.count()):
        bar = bars.nth(index).bounding_box()
        assert bar["height"] > 20 and bar["width"] >= 3 and inside(bar, box)
    # The year labels stay readable and on the chart at any width.
    for index in range(chart.locator("text.glance-chart__year").count()):
        label = chart.locator("text.glance-chart__year").nth(index)
        assert inside(label.bounding_box(), box, slack=2)
        assert label.evaluate("node => parseFloat(getComputedStyle(node).fontSize)") >= 12
    assert page.get_by_role("img", name=re.compile("Events recorded per year")).count() == 1
    table = page.locator("details.glance-table table")
    assert not table.is_visible()
    page.click("details.glance-table summary")
    assert table.is_visible() and "2023" in table.inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_map_at_a_filter_frames_the_selection_with_targets_a_keyboard_reaches(page, site, lang):
    page.goto(f"/{lang}/partners/?country=VN")
    figure = page.locator("figure.partner-map")
    svg = figure.locator("svg.partner-map__svg").bounding_box()
    markers = figure.locator("a.partner-map__marker")
    assert markers.count() == 2  # Hanoi and Ho Chi Minh City; Turku is filtered out
    centres = []
    for index in range(markers.count()):
        target = markers.nth(index).locator("circle.partner-map__target").bounding_box()
        assert target["width"] >= TARGET_PX and target["height"] >= TARGET_PX
        assert inside(target, svg)
        centres.append((target["x"] + target["width"] / 2, target["y"] + target["height"] / 2))
    # Zoomed on Vietnam: its two cities lie far apart on the map, not a few pixels as on the world's.
    (_x1, y1), (_x2, y2) = centres
    assert abs(y1 - y2) > svg["height"] / 4
    # From the skip link, Tab reaches the first marker: a link with its partner's name, labelled on the map.
    page.focus("a.partner-map__skip")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const a = document.activeElement; const label = a.querySelector('text');"
        " return [a.getAttribute('class'), a.querySelector('title').textContent, getComputedStyle(label).display]; }"
    )
    assert focused[0] == "partner-map__marker"
    assert focused[1] in {getattr(site.hanoi, f"name_{lang}"), getattr(site.saigon, f"name_{lang}")}
    assert focused[2] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/partners/[\w-]+/$"))
    page.goto(f"/{lang}/partners/?country=VN")
    assert axe_violations(page) == []


def test_the_map_keeps_its_targets_on_a_phone(narrow_page, site):
    narrow_page.goto("/ru/partners/")
    figure = narrow_page.locator("figure.partner-map")
    svg = figure.locator("svg.partner-map__svg").bounding_box()
    assert svg["height"] == pytest.approx(svg["width"] / 2, abs=2)
    targets = figure.locator("circle.partner-map__target")
    assert targets.count() == 3
    for index in range(targets.count()):
        target = targets.nth(index).bounding_box()
        assert target["width"] >= TARGET_PX and inside(target, svg, slack=TARGET_PX / 2)


def test_the_new_parts_are_valid_html(client, site, tmp_path):
    """The map at a filter, and a partner page with a sourced status and a dormant partner's note."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip("the Nu Html Checker needs Java and var/vnu/vnu.jar (`make vnu`)")
    make_status(site.hanoi, PartnerStatus.Status.SUSPENDED, "2022-03", source_url="https://example.org/note.pdf")
    urls = [
        f"/{lang}{path}"
        for lang in LANGUAGES
        for path in ("/partners/?country=VN", "/partners/?region=europe", f"/partners/{site.hanoi.slug}/")
    ]
    documents = {url: client.get(url).content.decode() for url in urls}
    errors = vnu_errors(java, documents, tmp_path)
    assert not errors, "\n".join(errors)
