"""What an import writes besides its rows, in bulk: slugs, history, site search, the page cache.

New partners are inserted together, not saved one by one, so what each save would do
(history, search entries, the page-cache version) is done once for all of them; the
number of queries does not grow with the number of rows.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core import cache_tags
from core.cache_tags import ANY, version
from core.search import search
from events.models import Event
from events.report.service import report_import
from partners.matching import PartnerMatcher, normalise_name, partner_key
from partners.models import Partner
from tests.events.conftest import REPORT_2024
from tests.events.report_files import as_tsv
from tests.factories import make_agreement, make_event, make_partner

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2024 году"]
NEW_PARTNERS_2024 = 33  # 37 partners in the report, 4 of them in report_world


def import_rows(rows, **options):
    options.setdefault("create_missing", True)
    return report_import(data=as_tsv([HEADER, *rows]), filename="r.tsv", year=2024, **options)


def test_new_partners_get_unique_slugs_also_within_one_import(report_world):
    countries, _partners = report_world
    make_partner(country=countries["Куба"], name_ru="Другой город", slug="santyago")
    rows = [
        [country, "Сантьяго", "Соглашение о партнёрстве", "2010", "3 июля – визит делегации."]
        for country in ("Куба", "Аргентина", "Вьетнам")
    ]
    outcome = import_rows(rows)
    created = Partner.objects.filter(pk__in=outcome.created_partner_ids)
    assert sorted(created.values_list("slug", flat=True)) == ["santyago-2", "santyago-3", "santyago-4"]
    assert Partner.objects.values("slug").distinct().count() == Partner.objects.count()


def test_new_partners_are_found_by_the_site_search_and_matched_by_their_spelling(report_world):
    outcome = import_rows([["Вьетнам", "г. Хайфон", "Соглашение", "2010", "3 июля – визит делегации."]])
    partner = Partner.objects.get(pk__in=outcome.created_partner_ids)
    assert (partner.name_ru, partner.aliases) == ("Хайфон", ["г. Хайфон"])
    assert partner.normalised_aliases == [normalise_name("Хайфон")]
    assert "ru" in partner.text_edited_at  # as a save would stamp it
    assert "partner" not in {group.kind for group in search("Хайфон", "ru")}  # a draft
    partner.is_published = True
    partner.save()
    groups = {group.kind: group for group in search("Хайфон", "ru")}
    assert [hit.object_id for hit in groups["partner"].hits] == [partner.pk]
    again = import_rows([["Вьетнам", "Хайфон", "", "", "5 августа – концерт."]])
    assert again.counts == {"partners": 0, "agreements": 0, "events": 1}
    assert list(Event.objects.filter(title_ru__icontains="концерт").values_list("partners", flat=True)) == [partner.pk]


def test_history_records_the_created_partners_and_the_year_given_to_the_others(report_world, django_user_model):
    _countries, partners = report_world
    user = django_user_model.objects.create_user("editor")
    outcome = import_rows(
        [
            ["Вьетнам", "Хайфон", "Соглашение", "2010", "3 июля – визит делегации."],
            ["Вьетнам", "г. Хошимин", "", "", "5 августа – концерт."],
        ],
        user=user,
    )
    created = Partner.objects.get(pk__in=outcome.created_partner_ids)
    assert [(h.history_type, h.history_user) for h in created.history.all()] == [("+", user)]
    saigon = partners["Хошимин"]
    latest = saigon.history.first()
    assert (latest.history_type, latest.history_user, latest.report_years) == ("~", user, [2024])
    saigon.refresh_from_db()
    assert saigon.report_years == [2024] and outcome.changed_partner_ids == {saigon.pk}


def test_a_mapped_spelling_is_saved_with_its_history(report_world):
    countries, _partners = report_world
    haiphong = make_partner(country=countries["Вьетнам"], name_ru="Хайфон")
    rows = [["Вьетнам", "Хайфон и провинция Кханьхоа", "", "", "3 июля – визит делегации."]]
    key = partner_key(countries["Вьетнам"], "Хайфон и провинция Кханьхоа")
    import_rows(rows, create_missing=False, decisions={key: haiphong})
    haiphong.refresh_from_db()
    assert haiphong.aliases == ["Хайфон и провинция Кханьхоа"] and haiphong.report_years == [2024]
    assert normalise_name("Хайфон и провинция Кханьхоа") in haiphong.normalised_aliases
    assert haiphong.history.first().aliases == ["Хайфон и провинция Кханьхоа"]
    assert PartnerMatcher().partners(haiphong.country, "Хайфон и провинция Кханьхоа") == [haiphong]


def test_the_page_cache_hears_of_an_import_once_after_its_commit_with_every_partner_it_linked(
    report_world, monkeypatch
):
    before = version(ANY)
    outcome = report_import(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024, create_missing=True)
    assert outcome.counts["partners"] == NEW_PARTNERS_2024
    assert version(ANY) != before
    pending = [func for _ids, func, _robust in connection.run_on_commit if isinstance(func, cache_tags._AfterCommit)]
    assert len(pending) == 1  # one for the whole transaction, however many rows and kinds of record
    bumped = []
    monkeypatch.setattr(cache_tags, "bump", lambda tags, position=None: bumped.append(tags))
    pending[0]()  # as at the commit
    # The events' links are written after the events: their partners' pages are reached all the same.
    linked = set(Event.objects.filter(report_year=2024, partners__isnull=False).values_list("partners", flat=True))
    assert len(linked) > 30
    assert {f"partners.partner:{pk}+events.event" for pk in linked} <= bumped[0]


def test_a_year_given_to_existing_partners_alone_changes_their_pages(report_world, monkeypatch):
    _countries, partners = report_world
    import_rows([["Вьетнам", "г. Хошимин", "", "", "5 августа – концерт."]])
    Partner.objects.filter(pk=partners["Хошимин"].pk).update(report_years=[])  # as if from another year's report
    bumped = set()
    monkeypatch.setattr(cache_tags, "bump", lambda tags, position=None: bumped.update(tags))
    outcome = import_rows([["Вьетнам", "Хошимин", "", "", "5 августа – концерт."]])  # another file, the same event
    assert outcome.created_nothing and outcome.changed_partner_ids == {partners["Хошимин"].pk}
    assert f"partners.partner:{partners['Хошимин'].pk}" in bumped


def _rows(n: int, existing: list[Partner]) -> list[list[str]]:
    """``n`` new partners and ``n`` existing ones, each with an agreement and two events."""
    events = "3 июля – визит делегации. 5 августа – концерт."
    new = [["Вьетнам", f"Новый {i}", "Соглашение о партнёрстве", "2010", events] for i in range(n)]
    old = [["Вьетнам", partner.name_ru, "Меморандум", "2011", events] for partner in existing]
    return new + old


@pytest.mark.parametrize("n", [1, 20])
def test_the_number_of_queries_does_not_grow_with_the_rows(report_world, django_assert_max_num_queries, n):
    countries, _partners = report_world
    existing = [make_partner(country=countries["Вьетнам"], name_ru=f"Старый {i}") for i in range(n)]
    for partner in existing:
        make_agreement(partner)
    rows = _rows(n, existing)
    # Constant in the rows: the bulk path writes the history of agreements, milestones and
    # events and indexes partners (with their countries' names and new spellings), agreements
    # (again once their milestones exist) and events, as saving each would; the partners are
    # read for the names the texts mention when planning and again once the new ones exist; the
    # page cache reads the countries of the updated partners before the update; the events' links,
    # written in bulk, are recorded in the versions the import made (8 queries); the events of the
    # updated partners are indexed again, since they are found by their partners' names (6).
    with django_assert_max_num_queries(63):
        outcome = import_rows(rows)
    assert outcome.counts == {"partners": n, "agreements": 2 * n, "events": 4 * n}
    assert outcome.changed_partner_ids == {partner.pk for partner in existing}
    positions = Partner.objects.get(pk=existing[-1].pk).agreements.values_list("position", flat=True)
    assert sorted(positions) == [0, 1]


def test_a_new_partner_dates_its_ties_from_its_earliest_agreement(report_world):
    rows = [
        ["Вьетнам", "Хайфон", "Соглашение о дружественных связях", "1956 г. – установление связей; 20.09.1962", ""],
        ["", "", "Соглашение между городами", "июнь 1993 г.", ""],
        ["Вьетнам", "Дананг", "", "", "3 июля – визит делегации."],
    ]
    outcome = import_rows(rows)
    created = {p.name_ru: p.ties_since for p in Partner.objects.filter(pk__in=outcome.created_partner_ids)}
    assert {name: str(day) if day else None for name, day in created.items()} == {"Хайфон": "1956", "Дананг": None}


def test_partners_named_together_share_their_joint_events(report_world):
    countries, _partners = report_world
    rows = [
        ["Вьетнам", "Хайфон", "Соглашение о партнёрстве", "2006", "3 июля – визит делегации."],
        ["", "Провинция Кханьхоа", "Соглашение о партнёрстве", "2006", ""],
        ["", "Хайфон и Провинция Кханьхоа", "", "", "5 августа – концерт. Июнь – выставка."],
    ]
    outcome = import_rows(rows)
    assert outcome.counts == {"partners": 2, "agreements": 2, "events": 3}
    assert sorted(outcome.plan.partners) == [
        partner_key(countries["Вьетнам"], n) for n in ("Провинция Кханьхоа", "Хайфон")
    ]
    joint = Event.objects.get(title_ru__icontains="концерт")
    assert sorted(joint.partners.values_list("name_ru", flat=True)) == ["Провинция Кханьхоа", "Хайфон"]
    assert Event.objects.get(title_ru__icontains="визит").partners.count() == 1
    # Imported again into the site it made: nothing new.
    assert import_rows(rows).created_nothing


def test_a_joint_row_with_an_agreement_or_an_unknown_part_stays_one_partner(report_world):
    rows = [
        ["Вьетнам", "Хайфон", "Соглашение о партнёрстве", "2006", ""],
        ["", "Хайфон и провинция Кханьхоа", "", "", "5 августа – концерт."],
    ]
    outcome = import_rows(rows)
    assert outcome.counts == {"partners": 2, "agreements": 1, "events": 1}
    assert Partner.objects.filter(name_ru="Хайфон и провинция Кханьхоа").exists()


def test_events_staff_entered_for_the_year_are_recognised_in_a_report(report_world):
    _countries, partners = report_world
    make_event(partners=[partners["Хошимин"]], start="2024-08-05", title_ru="Концерт.")
    outcome = import_rows([["Вьетнам", "Хошимин", "", "", "5 августа – концерт."]])
    assert outcome.created_nothing


def test_an_imported_event_keeps_its_sentence_gets_a_title_to_review_and_the_partners_it_names(report_world):
    countries, _partners = report_world
    china = countries["Китай"]
    beijing = make_partner(country=china, name_ru="Пекин", aliases=["Пекин"])
    sichuan = make_partner(country=china, name_ru="Провинция Сычуань", kind=Partner.Kind.REGION)
    rows = [
        ["Китай", "г. Шанхай", "Соглашение", "1988", "26-27 августа - визит заместителя мэра Пекина."],
        ["", "", "", "", "11 сентября - состоялся визит делегацией г. Чэнду провинции Сычуань."],
    ]
    outcome = import_rows(rows)
    shanghai = Partner.objects.get(pk__in=outcome.created_partner_ids)
    assert [[p.pk for p in event.named] for event in outcome.plan.events] == [[beijing.pk], [sichuan.pk]]
    visit = Event.objects.get(start_on="2024-08-26")
    assert (visit.title_ru, visit.report_text_ru) == ("Визит заместителя мэра Пекина", "Визит заместителя мэра Пекина.")
    assert visit.title_needs_review
    assert list(visit.reported_under.all()) == [shanghai]
    assert set(visit.partners.all()) == {shanghai, beijing}
    delegation = Event.objects.get(start_on="2024-09-11")
    assert delegation.title_ru == "Визит делегацией г. Чэнду провинции Сычуань"
    assert set(delegation.partners.all()) == {shanghai, sichuan}
    assert Event.objects.filter(partners=beijing).get() == visit


def test_the_preview_proposes_the_partners_a_text_names(staff_client, report_world):
    countries, _partners = report_world
    make_partner(country=countries["Китай"], name_ru="Пекин", aliases=["Пекин"])
    rows = [["Китай", "Шанхай", "Соглашение", "1988", "26 августа - визит заместителя мэра Пекина."]]
    data = SimpleUploadedFile("r.tsv", as_tsv([HEADER, *rows]))
    preview = staff_client.post(reverse("admin:events_reportimport_import"), {"file": data, "year": 2024})
    row = preview.text[preview.text.index("Визит заместителя мэра Пекина") :]
    assert 'data-label="also names">Пекин</td>' in row[: row.index("</tr>")]


def test_the_history_of_an_imported_event_records_its_partners(report_world):
    """Links written in bulk are in the version the import made: restoring it keeps them."""
    countries, _partners = report_world
    hanoi = make_partner(country=countries["Вьетнам"], name_ru="Ханой")
    haiphong = make_partner(country=countries["Вьетнам"], name_ru="Хайфон")
    import_rows([["Вьетнам", "Ханой", "", "", "3 июля – визит делегации Ханоя в Хайфон."]])
    event = Event.objects.get(partners=hanoi)
    version = event.history.get()
    assert set(version.partners.values_list("partner_id", flat=True)) == {hanoi.pk, haiphong.pk}
    assert list(version.reported_under.values_list("partner_id", flat=True)) == [hanoi.pk]
