"""A partner's status is said only where a dated, sourced entry states it; otherwise the page says what the data do."""

import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.partial_dates import PartialDate
from partners.models import Partner, PartnerStatus
from tests.factories import make_agreement, make_event, make_milestone, make_partner, make_status

LANGUAGES = ("ru", "en", "vi")


def status_words(status: str) -> dict[str, str]:
    """The label of ``status`` in each language («действует», "active", «đang hoạt động»)."""
    words = {}
    for language in LANGUAGES:
        with translation.override(language):
            words[language] = str(PartnerStatus.Status(status).label)
    return words


ACTIVE = status_words(PartnerStatus.Status.ACTIVE)


def main_text(page: str) -> str:
    """What a reader sees in the page's main content, tags and the chart's description left out."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<desc\b.*?</desc>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", main)))


def says(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE) is not None


@pytest.fixture
def hamburg(db):
    partner = make_partner(name_en="Hamburg", ties_since="1957", latitude=53.55, longitude=10.0)
    agreement = make_agreement(partner, title_en="Cooperation Agreement")
    make_milestone(agreement, "1957", label_en="ties established")
    make_event(partners=[partner], start="2020-02-09", report_year=2020)
    make_event(partners=[make_partner()], start="2024-05-01", report_year=2024)  # the newest report: 2024
    return partner


def test_with_status_assumes_no_status(hamburg):
    def annotated():
        return Partner.objects.with_status().get(pk=hamburg.pk)

    assert annotated().current_status is None
    assert annotated().status_label == ""
    make_status(hamburg, PartnerStatus.Status.ACTIVE, "2005", source_ru="")  # no source: not said
    assert annotated().current_status is None
    make_status(hamburg, PartnerStatus.Status.SUSPENDED, "2022-03")
    assert (annotated().current_status, annotated().status_date) == ("suspended", PartialDate(2022, 3))


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_sourced_entry_the_page_states_what_the_data_show(client, hamburg, language):
    make_status(hamburg, PartnerStatus.Status.ACTIVE, "2005", source_ru="", source_en="", source_vi="")
    text = main_text(client.get(f"/{language}/partners/{hamburg.slug}/").text)
    assert not says(text, ACTIVE[language])
    with translation.override(language):
        assert not says(text, str(PartnerStatus._meta.get_field("status").verbose_name).capitalize() + ":")
    expected = {
        "ru": ["Связи установлены: 1957 ·", "1 соглашение", "1 мероприятие за 2020 г.", "(отчёт Комитета за 2020 г.)"],
        "en": [
            "Ties since 1957",
            "1 agreement",
            "1 event recorded in 2020",
            "last recorded activity: 2020 (Committee report 2020)",
        ],
        "vi": ["Quan hệ từ 1957", "1 thỏa thuận", "1 sự kiện được ghi nhận năm 2020", "(báo cáo của Ủy ban năm 2020)"],
    }[language]
    for phrase in expected:
        assert phrase in text


def test_a_sourced_status_is_shown_with_its_date_and_its_source(client, hamburg):
    make_status(hamburg, PartnerStatus.Status.ACTIVE, "2010", source_ru="", source_en="")
    make_status(
        hamburg,
        PartnerStatus.Status.SUSPENDED,
        "2022-03",
        source_en="Letter of the Senate",
        source_url="https://example.org/letter.pdf",
    )
    page = client.get(f"/en/partners/{hamburg.slug}/").text
    text = main_text(page)
    assert "Status: suspended as of March 2022; source: Letter of the Senate" in text
    assert '<a href="https://example.org/letter.pdf" rel="noopener">Letter of the Senate</a>' in page
    # The history lists the sourced entry only.
    history = text[text.index("Status history") :]
    assert "March 2022 — suspended" in history and "2010" not in history
    assert not says(text, "active")


def test_a_source_address_that_is_not_a_web_address_is_not_linked(client, hamburg):
    make_status(hamburg, PartnerStatus.Status.SUSPENDED, "2022", source_en="Note", source_url="javascript:alert(1)")
    page = client.get(f"/en/partners/{hamburg.slug}/").text
    assert "javascript:" not in page
    assert "source: Note" in main_text(page)


def test_the_dormant_label_explains_itself(client, hamburg):
    page = client.get(f"/en/partners/{hamburg.slug}/").text
    # Dormant: no event in the three years up to the newest report (2022–2024), so none from 2022 on.
    assert '<span class="badge badge-dormant">dormant</span> no event recorded in 2022 or later' in page
    listing = client.get("/en/partners/").text
    assert (
        '<p class="legend"><span class="badge badge-dormant">dormant</span> no event recorded in 2022 or later'
        in listing
    )
    make_event(partners=[hamburg], start="2023-06", report_year=None)
    assert "badge-dormant" not in client.get(f"/en/partners/{hamburg.slug}/").text


def test_the_admin_asks_for_the_source_and_shows_it(staff_client, hamburg):
    from tests.core.test_partial_date_fields import submitted

    url = reverse("admin:partners_partner_change", args=[hamburg.pk])
    page = staff_client.get(url)
    assert 'name="statuses-__prefix__-source_ru"' in page.text
    assert 'name="statuses-__prefix__-source_url"' in page.text
    data = {**submitted(page), "statuses-TOTAL_FORMS": "1", "statuses-0-status": "suspended", "statuses-0-date": "2022"}
    refused = staff_client.post(url, data)
    assert refused.status_code == 200 and not hamburg.statuses.exists()
    (statuses,) = [
        inline.formset for inline in refused.context["inline_admin_formsets"] if inline.formset.prefix == "statuses"
    ]
    assert list(statuses.errors[0]) == ["source_ru"]
    data["statuses-0-source_ru"] = "Письмо Сената"
    assert staff_client.post(url, data).status_code == 302
    assert hamburg.statuses.get().is_sourced


def test_the_yearly_table_leaves_out_only_partners_whose_sourced_status_lapsed(db):
    def bound(**fields):
        partner = make_partner(**fields)
        make_milestone(make_agreement(partner), "2010")
        return partner

    plain, unsourced, suspended = bound(), bound(), bound()
    make_status(unsourced, PartnerStatus.Status.SUSPENDED, "2020", source_ru="")
    make_status(suspended, PartnerStatus.Status.SUSPENDED, "2020")
    listed = set(Partner.objects.in_yearly_report(2026, active=Partner.objects.none()))
    assert {plain, unsourced} <= listed and suspended not in listed


# --- over the seed: no partner page says "active" in any language -----------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_seeded_partner_page_says_active_without_a_sourced_entry(seed_in_database, db, client, language):
    sourced = set(PartnerStatus.objects.sourced().filter(status="active").values_list("partner__slug", flat=True))
    slugs = list(Partner.objects.published().values_list("slug", flat=True))
    assert len(slugs) == 64
    saying_active = []
    for slug in slugs:
        text = main_text(client.get(f"/{language}/partners/{slug}/").text)
        assert "·" in text  # the glance's summary is there
        if says(text, ACTIVE[language]) and slug not in sourced:
            saying_active.append(slug)
    assert saying_active == []
