"""The admin in a real browser, as a Vietnamese-speaking editor uses it at 1280 px: no Russian interface
text, the preview of a draft with its banner, the compact rich-text toolbar, the history with its reason."""

import re

import pytest
from django.apps import apps
from django.db import models

from tests.browser.conftest import _new_page

pytestmark = pytest.mark.django_db(transaction=True)

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PASSWORD = "pass-word-123"


@pytest.fixture
def editor(site, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def admin_page(browser, live_server, editor, language: str):
    context, page = _new_page(browser, live_server, locale=language, viewport={"width": 1280, "height": 900})
    page.goto("/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return context, page


@pytest.fixture
def vi_admin(browser, live_server, editor):
    context, page = admin_page(browser, live_server, editor, "vi")
    yield page
    context.close()


def content_texts() -> list[str]:
    """Every text stored in the database (titles, names, descriptions in every language), longest first."""
    texts = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for values in model._default_manager.values_list(*fields) if fields else ():
            texts.update(value for value in values if isinstance(value, str) and CYRILLIC.search(value))
    return sorted(texts, key=len, reverse=True)


def interface_text(page) -> str:
    """What the page says, its titles, labels and button captions included, without the records' own texts."""
    text = page.evaluate(
        """() => [document.title, document.body.innerText,
            ...[...document.querySelectorAll('[title], [aria-label], [placeholder], [alt], input[type=submit]')].map(
              el => [el.title, el.getAttribute('aria-label'), el.placeholder, el.alt, el.value].join(' '))
          ].join('\\n')"""
    )
    for value in content_texts():
        text = text.replace(value, "")
    # Russian quoted in «»: how the Committee's reports spell a name (help texts give examples), not interface text.
    return re.sub(r"«[^»]*»", "", text)


def assert_no_russian_interface(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert page.get_attribute("html", "lang") == "vi", url
    lines = [line for line in interface_text(page).splitlines() if CYRILLIC.search(line)]
    assert lines == [], f"{url}: Russian interface text {lines}"


def test_the_vietnamese_admin_shows_no_russian_interface_text(vi_admin, site, browser, live_server):
    page = vi_admin
    event = site.hanoi_days
    # A change with its reason, a deletion and a failed sign-in: the history, "Recently deleted" and
    # the sign-in attempts have rows.
    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.locator(".ui-tabs-nav a", has_text="vi").first.click()  # the title's Vietnamese tab
    page.fill("#id_title_vi", "Những ngày Hà Nội tại Saint Petersburg")
    page.fill("#id_history_change_reason", "Sửa tiêu đề")
    page.click("input[name=_continue]")
    site.old_visit.delete()
    context, stranger = _new_page(browser, live_server, locale="vi")
    stranger.goto("/admin/login/")
    stranger.fill("#id_username", "stranger")
    stranger.fill("#id_password", "wrong-password")
    stranger.click("input[type=submit]")
    assert_no_russian_interface(stranger, "/admin/login/")
    context.close()

    urls = [
        "/admin/",
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        f"/admin/events/event/{event.pk}/history/",
        f"/admin/events/event/{event.pk}/history/{event.history.earliest().history_id}/",
        "/admin/events/event/deleted/",
        f"/admin/partners/partner/{site.hanoi.pk}/change/",
        f"/admin/partners/partner/{site.hanoi.pk}/history/",
        f"/admin/societies/society/{site.society.pk}/change/",
        "/admin/axes/accessattempt/",
        "/admin/auth/user/",
    ]
    for url in urls:
        assert_no_russian_interface(page, url)
    page.goto(f"/admin/events/event/{event.pk}/history/")
    assert "Sửa tiêu đề" in page.locator("#change-history").inner_text()


def test_a_draft_opens_in_its_preview_with_the_banner(vi_admin, site):
    page = vi_admin
    draft = site.saigon_forum
    draft.is_published = False
    draft.save()
    page.goto(f"/admin/events/event/{draft.pk}/change/")
    view_on_site = page.locator(".object-tools a.viewsitelink")
    assert view_on_site.get_attribute("href") == f"/admin/events/event/{draft.pk}/preview/"
    assert page.locator(".object-tools a.previewlink").count() == 1
    page.goto(view_on_site.get_attribute("href"))
    banner = page.locator(".preview-banner")
    assert banner.is_visible()
    assert "Bản nháp — chưa công khai" in banner.inner_text()
    box = banner.bounding_box()
    assert box["y"] < 60 and box["width"] >= 1200  # across the top of the page
    assert draft.title_vi in page.locator("main h1").inner_text()
    banner.locator("a").click()
    page.wait_for_url(f"**/admin/events/event/{draft.pk}/change/")


def test_the_preview_row_action_and_the_toolbar_fit_at_1280_px(vi_admin, site):
    page = vi_admin
    page.goto("/admin/events/event/")
    preview = page.locator("#result_list tbody tr").first.locator("a.preview-link")
    assert preview.is_visible()
    box = preview.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert (
        page.locator("#result_list").bounding_box()["x"] + page.locator("#result_list").bounding_box()["width"] <= 1280
    )

    page.goto(f"/admin/events/event/{site.hanoi_days.pk}/change/")
    toolbar = page.locator(".rich-toolbar").first
    textarea = page.locator("textarea[data-rich-text]").first
    assert toolbar.is_visible()
    bar, field = toolbar.bounding_box(), textarea.bounding_box()
    assert bar["height"] < 40  # one row of small buttons
    assert bar["y"] + bar["height"] <= field["y"] + 1  # above its field, not beside it
    assert toolbar.locator("button").first.get_attribute("title") == "Đoạn văn"
    textarea.fill("Văn bản")
    textarea.select_text()
    toolbar.locator("button[data-tag=strong]").click()
    assert textarea.input_value() == "<strong>Văn bản</strong>"
