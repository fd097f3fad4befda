"""The seed content against the source documents.

Expected numbers are counted by hand from ../shared/seeds (not from the fixtures):
the 2024 table (002) has 41 rows naming 37 partners and 97 event items; the 2020
table (001, PDF text) has 52 rows naming 51 partners and 130 event items, with no
Africa or Latin America section. 64 distinct partners appear across both.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from association.models import NewsItem, Page
from association.seed import seed_load
from core.morphology import lemmas, words
from core.partial_dates import PartialDate
from events.models import Event
from partners.matching import PartnerMatcher
from partners.models import Agreement, Partner
from societies.models import Society

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seed_in_database, db):
    return None


EVENTS_2024 = {"europe": 4, "asia": 41, "cis": 45, "africa": 3, "latin-america": 4}
EVENTS_2020 = {"europe": 28, "asia": 78, "cis": 24}
PARTNERS_2024 = {"europe": 3, "asia": 17, "cis": 13, "africa": 2, "latin-america": 2}
PARTNERS_2020 = {"europe": 22, "asia": 16, "cis": 13}


def _events_per_region(year):
    rows = (
        Event.objects.filter(report_year=year)
        .order_by()
        .values("partners__country__region__code")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["partners__country__region__code"]: row["n"] for row in rows}


def test_event_counts_per_region_and_year_match_the_reports(seeded):
    assert Event.objects.filter(report_year=2024).count() == sum(EVENTS_2024.values()) == 97
    assert Event.objects.filter(report_year=2020).count() == sum(EVENTS_2020.values()) == 130
    assert _events_per_region(2024) == EVENTS_2024
    assert _events_per_region(2020) == EVENTS_2020


def test_partner_counts_per_region_and_year_match_the_reports(seeded):
    for year, expected in ((2024, PARTNERS_2024), (2020, PARTNERS_2020)):
        rows = (
            Partner.objects.filter(report_years__contains=[year])
            .order_by()
            .values("country__region__code")
            .annotate(n=Count("pk"))
        )
        assert {row["country__region__code"]: row["n"] for row in rows} == expected
    assert Partner.objects.count() == 64


def test_every_event_has_a_partner_and_every_partner_coordinates(seeded):
    assert not Event.objects.filter(report_year__isnull=False, partners=None).exists()
    assert not Partner.objects.filter(latitude=None).exists()
    assert not Partner.objects.filter(agreements=None).exclude(slug="yamagata").exists()  # Ямагата: empty cells in 2020


def _event(title_start: str) -> Event:
    return Event.objects.get(report_text_ru__startswith=title_start)


def _partner_slugs(event: Event) -> set[str]:
    return set(event.partners.values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("title_start", "period", "partner", "kind"),
    [
        # 2024 (002)
        (
            "визит делегации Научно-технологического парка Республики Сербской",
            "2024-07-03/2024-07-06",
            "respublika-serbskaya",
            "incoming-delegation",
        ),
        (
            "визит Министра внешних экономических связей и иностранных дел Венгрии",
            "2024-10-10",
            "budapesht",
            "incoming-delegation",
        ),
        (
            "визит представителей Института по охране памятников культуры Сербии",
            "2024-07-02",
            "belgrad",
            "incoming-delegation",
        ),
        ("прошла Неделя Вьетнама в Санкт-Петербурге", "2024-05-17/2024-05-22", "ho-chi-minh", None),
        ("визит делегации пров. Дьенбьен", "2024-11-28/2024-12-01", "khanh-hoa", None),
        (
            "организация и проведение XIV Совета делового сотрудничества",
            "2024-10-25",
            "belorussiya",
            None,
        ),  # «25 октябрь»
        ("Ведется работа по установке памятника поэту, философу", "2024", "turkmenistan", "memorial"),
        # 2020 (001)
        ("визит делегации Санкт-Петербурга в Вену", "2020-02-20/2020-02-22", "avstriya", "outgoing-delegation"),
        ("2-е заседание совместной рабочей группы", "2020-09-03", "vengriya", None),
        ("ВКС между образовательными учреждениями", "2020-11-20", "budapesht", "video-conference"),
        ("работа по открытию в СПб сквера", "2020-01/2020-12", "baku", None),  # «Январь-декабрь»
        ("визит Посола Вьетнама в РФ", "2020-07-20/2020-07-22", "ho-chi-minh", None),
    ],
)
def test_spot_checks_of_events_across_both_reports(seeded, title_start, period, partner, kind):
    event = _event(title_start)
    assert event.period.isoformat() == period
    assert partner in _partner_slugs(event)
    if kind:
        assert event.kind == kind


def test_renamed_and_respelled_partners_are_one_record(seeded):
    astana = Partner.objects.get(slug="astana")
    assert {2020, 2024} <= set(astana.report_years)
    matcher = PartnerMatcher()
    assert matcher.partners(astana.country, "Нур-Султан") == [astana]
    hcmc = Partner.objects.get(slug="ho-chi-minh")
    assert matcher.partners(hcmc.country, "г. Хошимин") == [hcmc]
    assert set(hcmc.events.values_list("report_year", flat=True)) == {2020, 2024}
    mumbai = Partner.objects.get(slug="mumbay")
    assert matcher.partners(mumbai.country, "Мумбай (Бомбей)") == [mumbai]


def test_agreement_milestones_keep_their_precision(seeded):
    serbska = Agreement.objects.filter(partner__slug="respublika-serbskaya").first()
    assert serbska.milestones.first().date.isoformat() == "2017-06"  # «июнь 2017 г.»
    assert Partner.objects.get(slug="ho-chi-minh").ties_since.isoformat() == "2005-12-09"  # «09.12.2005»


def test_html_paragraphs_become_text_never_raw_markup(seeded):
    assert not Event.objects.filter(title_ru__contains="<p>").exists()
    assert not Event.objects.filter(title_en__contains="<").exists()
    assert not Event.objects.filter(report_text_ru__contains="<p>").exists()


@pytest.mark.parametrize(
    "queryset",
    [
        Partner.objects.all(),
        Event.objects.all(),
        Society.objects.all(),
        Page.objects.all(),
        NewsItem.objects.all(),
        Agreement.objects.all(),
    ],
    ids=["partners", "events", "societies", "pages", "news", "agreements"],
)
def test_every_record_has_english_and_vietnamese_text(seeded, queryset):
    field = {"Partner": "name", "Society": "name", "Agreement": "title"}.get(queryset.model.__name__, "title")
    for language in ("en", "vi"):
        assert not queryset.filter(**{f"{field}_{language}": ""}).exists(), language


def test_pages_and_news_from_the_association_documents(seeded):
    history = Page.objects.get(slug="history")
    assert [y for y in history.timeline.values_list("year", flat=True) if y in {1925, 1958, 1992, 1994, 2008}] == [
        1925,
        1958,
        1992,
        1994,
        2008,
    ]
    news = NewsItem.objects.get()
    assert news.original_language == "vi"
    assert news.published == PartialDate(2024)  # the article is dated by its year only
    assert Society.objects.filter(countries__code="VN").count() == 2


def test_loading_twice_changes_nothing(seeded):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Partner, Event, Society, Page, NewsItem)
        } | {"agreements": sorted(Agreement.objects.values_list("pk", flat=True))}

    before = snapshot()
    result = seed_load()
    assert snapshot() == before
    assert not any(name.endswith("written") for name in result.counts)


def test_make_run_loads_only_into_an_empty_database(seeded, capsys):
    Event.objects.filter(report_year=2024).update(title_ru="изменено редактором")
    call_command("load_seed", "--if-empty")
    assert Event.objects.filter(title_ru="изменено редактором").count() == 97
    assert "already present" in capsys.readouterr().out


def test_seed_events_are_dated_in_their_report_year(seeded):
    for year in (2020, 2024):
        outside = Event.objects.filter(report_year=year).exclude(start_on__year=year)
        assert not outside.exists(), list(outside.values_list("source_key", "start_on"))
    assert Event.objects.filter(start_on__gt=datetime.date(2025, 12, 31)).count() == 0


# --- Titles and the report's sentences ------------------------------------------------------

LANGUAGES = ("ru", "en", "vi")
# The reports abbreviate St Petersburg; a title may write it out.
_SAME_NAME = {"спб": "санкт-петербург"}


def _source_words(text: str) -> set[str]:
    found = set()
    for word in words(text):
        for lemma in lemmas(word):
            found |= {lemma, _SAME_NAME.get(lemma, lemma)}
    return found


def test_every_title_is_short_and_in_sentence_case(seeded):
    for event in Event.objects.all():
        for code in LANGUAGES:
            title = getattr(event, f"title_{code}")
            assert title[:1] == title[:1].upper() and title[:1].strip(), (event.source_key, code, title)
            assert not title.endswith("."), (event.source_key, code, title)
            assert len(title) <= 100, (event.source_key, code, title)
        assert not event.title_needs_review


def test_reported_events_keep_the_report_sentence_and_their_titles_add_no_fact(seeded):
    """Every name (a capitalised word) and number of a Russian title is in the report's sentence."""
    reported = Event.objects.filter(report_year__isnull=False)
    assert reported.count() == 227
    for event in reported:
        assert all(getattr(event, f"report_text_{code}") for code in LANGUAGES), event.source_key
        source = _source_words(event.report_text_ru)
        names = [word for word in words(event.title_ru)[1:] if word[:1].isupper()]
        new = [name for name in names if not lemmas(name) & source]
        assert new == [], (event.source_key, event.title_ru)
        for code in LANGUAGES:
            numbers = set(re.findall(r"\d+", getattr(event, f"title_{code}")))
            assert numbers <= set(re.findall(r"\d+", getattr(event, f"report_text_{code}"))), (event.source_key, code)


def _keys(partner_slug: str) -> set[str]:
    return set(Event.objects.filter(partners__slug=partner_slug).values_list("source_key", flat=True))


def test_an_event_belongs_to_every_partner_its_text_names(seeded):
    # «визит заместителя мэра Пекина» and «визит делегацией г. Чэнду провинции Сычуань», printed in
    # the Shanghai row; the Dien Bien visit in the «Хайфон и провинция Кханьхоа» row; «в Бишкек и
    # г. Ош» in the Kyrgyzstan row.
    assert {"r2024-cn-008", "r2024-cn-004"} <= _keys("pekin")
    assert {"r2024-cn-009", "r2024-cn-002"} <= _keys("sychuan")
    assert "r2024-vn-009" in _keys("dien-bien")
    assert {"r2024-kg-003", "r2024-kg-007", "r2024-kg-006"} <= _keys("bishkek")
    assert {"r2024-kg-002", "r2024-kg-003", "r2024-kg-007"} <= _keys("osh")
    beijing_visit = Event.objects.get(source_key="r2024-cn-008")
    assert list(beijing_visit.reported_under.values_list("slug", flat=True)) == ["shankhay"]
    assert set(beijing_visit.partners.values_list("slug", flat=True)) == {"shankhay", "pekin"}
    # The street of St Petersburg named after Ho Chi Minh is not the city.
    assert "r2020-vn-014" not in _keys("ho-chi-minh")


@pytest.mark.parametrize("slug", ["pekin", "sychuan", "dien-bien", "bishkek", "osh"])
def test_partner_pages_and_feeds_list_the_events_that_name_them(seeded, client, slug):
    partner = Partner.objects.get(slug=slug)
    named = Event.objects.filter(report_year=2024, partners=partner).exclude(reported_under=partner)
    assert named.exists()
    page = client.get(partner.get_absolute_url()).text
    feed = client.get(f"/ru/events/partners/{slug}/feed.atom").content.decode()
    for event in named:
        assert event.get_absolute_url() in page
        assert event.get_absolute_url() in feed


def test_a_site_seeded_before_gets_the_titles_and_links_on_the_next_load(seeded):
    """Seeded when the title was the report's sentence and events had only their row's partners."""
    event = Event.objects.get(source_key="r2024-cn-008")
    Event.objects.filter(pk=event.pk).update(title_ru=event.report_text_ru, report_text_ru="", title_needs_review=True)
    event.partners.set(event.reported_under.all())
    event.reported_under.clear()
    seed_load()
    event.refresh_from_db()
    assert (event.title_ru, event.report_text_ru) == ("Визит заместителя мэра Пекина", "визит заместителя мэра Пекина.")
    assert not event.title_needs_review
    assert set(event.partners.values_list("slug", flat=True)) == {"shankhay", "pekin"}
    assert list(event.reported_under.values_list("slug", flat=True)) == ["shankhay"]
