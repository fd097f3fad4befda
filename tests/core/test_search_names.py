"""The site search finds names as visitors write them: inflected, former, abbreviated, by country."""

import pytest

from core.models import SearchEntry
from core.search import rebuild_index, search
from partners.models import Agreement
from tests.factories import make_agreement, make_country, make_event, make_milestone, make_partner, make_society

pytestmark = pytest.mark.django_db


def found(text: str, language: str = "ru") -> dict[str, list[str]]:
    return {group.kind: [hit.url for hit in group.hits] for group in search(text, language)}


def hits(text: str, language: str = "ru", kind: str = "partner") -> list:
    return next((group.hits for group in search(text, language) if group.kind == kind), [])


@pytest.fixture
def china():
    return make_country(name_ru="Китай", name_en="China", name_vi="Trung Quốc", aliases=["КНР"])


# --- Russian by lemma ------------------------------------------------------------------------

CASES = {
    # nominative, genitive, dative, instrumental, prepositional
    "Шанхай": ["Шанхай", "Шанхая", "Шанхаю", "Шанхаем", "Шанхае"],
    "Ханой": ["Ханой", "Ханоя", "Ханою", "Ханоем", "Ханое"],
    "Алма-Ата": ["Алма-Ата", "Алма-Аты", "Алма-Ате", "Алма-Атой", "Алма-Ате"],
    "Астана": ["Астана", "Астаны", "Астане", "Астаной", "Астане"],
    "Хошимин": ["Хошимин", "Хошимина", "Хошимину", "Хошимином", "Хошимине"],
    "Мумбай": ["Мумбай", "Мумбая", "Мумбаю", "Мумбаем", "Мумбае"],
}


@pytest.mark.parametrize("name", CASES)
def test_every_case_of_a_partner_name_finds_the_partner_first(name):
    partner = make_partner(name_ru=name, name_en="", name_vi="")
    make_partner(name_ru="Другой город", description_ru=f"Побратим города {CASES[name][1]}.")
    for form in CASES[name]:
        assert found(form)["partner"][0] == partner.get_absolute_url(), form
        assert found(form.lower(), "en")["partner"][0] == partner.get_absolute_url().replace("/ru/", "/en/"), form


def test_an_inflected_name_in_a_text_is_found_by_the_name_and_highlighted():
    event = make_event(title_ru="Переговоры", description_ru="<p>Делегация прибыла в г. Шанхая порт & <b>склад</b></p>")
    hit = hits("Шанхай", kind="event")[0]
    assert hit.url == event.get_absolute_url()
    assert hit.snippet_html == "Делегация прибыла в г. <mark>Шанхая</mark> порт &amp; склад"


def test_snippets_escape_the_text_around_the_marked_forms():
    make_event(title_ru="Визит <script>alert(1)</script>", description_ru="<p>5 &lt; 6 в Ханое &lt;b&gt;</p>")
    hit = hits("ханой", kind="event")[0]
    assert hit.title_html == "Визит &lt;script&gt;alert(1)&lt;/script&gt;"
    assert hit.snippet_html == "5 &lt; 6 в <mark>Ханое</mark> &lt;b&gt;"


def test_prepositions_of_a_query_are_not_required():
    event = make_event(title_ru="Делегация Шанхая", description_ru="")
    assert "event" not in found("визит делегации из Шанхая")  # every other word is required
    assert found("делегации из Шанхая")["event"] == [event.get_absolute_url()]


# --- Former and variant names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "aliases", "queries"),
    [
        ("Астана", ["Нур-Султан"], ["Нур-Султан", "Нур-Султане", "нур-султан"]),
        ("Мумбай", ["Мумбай (Бомбей)", "Бомбей"], ["Бомбей", "Бомбея", "бомбее"]),
        ("Алма-Ата", ["Алматы"], ["Алматы"]),
    ],
)
def test_each_alias_finds_its_partner_first_and_shows_which(name, aliases, queries):
    partner = make_partner(name_ru=name, name_en="", name_vi="", aliases=aliases)
    make_event(title_ru=f"Визит в {name}")
    for query in queries:
        first = hits(query)[0]
        assert first.url == partner.get_absolute_url(), query
        assert first.exact, query
        assert "<mark>" in first.names_html, query


def test_an_alias_added_later_is_found():
    partner = make_partner(name_ru="Астана")
    assert "partner" not in found("Нур-Султан")
    partner.aliases = ["Нур-Султан"]
    partner.save()
    assert found("Нур-Султан")["partner"] == [partner.get_absolute_url()]


# --- Countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language"),
    [("Китай", "ru"), ("Китая", "ru"), ("China", "en"), ("china", "ru"), ("Trung Quốc", "vi"), ("trung quoc", "vi")],
)
def test_a_country_lists_the_country_then_its_partners(china, query, language):
    shanghai = make_partner(country=china, name_ru="Шанхай", name_en="Shanghai", name_vi="Thượng Hải")
    beijing = make_partner(country=china, name_ru="Пекин", name_en="Beijing", name_vi="Bắc Kinh")
    make_partner(name_ru="Ханой", name_en="Hanoi", name_vi="Hà Nội")
    groups = search(query, language)
    assert [group.kind for group in groups][:2] == ["country", "partner"]
    assert [hit.url for hit in groups[0].hits] == [f"/{language}/partners/countries/{china.slug}/"]
    partners = {hit.url for hit in groups[1].hits}
    assert partners == {f"/{language}/partners/{partner.slug}/" for partner in (shanghai, beijing)}
    assert all("<mark>" in hit.names_html for hit in groups[1].hits)  # found by the country: shown


def test_renaming_a_country_reindexes_its_partners_and_societies(china):
    shanghai = make_partner(country=china, name_ru="Шанхай")
    society = make_society(name_ru="Клуб друзей", countries=[china])
    assert found("КНР")["partner"] == [shanghai.get_absolute_url()]
    china.name_vi = "Trung Hoa"
    china.save()
    result = found("trung hoa", "vi")
    assert result["partner"] == [f"/vi/partners/{shanghai.slug}/"]
    assert result["society"] == [society.get_absolute_url().replace("/ru/", "/vi/")]


def test_a_society_follows_the_links_to_its_countries(china):
    society = make_society(name_ru="Клуб друзей")
    assert "society" not in found("Китай")
    society.countries.add(china)
    assert found("Китай")["society"] == [society.get_absolute_url()]
    society.countries.remove(china)
    assert "society" not in found("Китай")
    china.societies.add(society)
    assert found("Китай")["society"] == [society.get_absolute_url()]
    china.societies.clear()
    assert "society" not in found("Китай")


# --- Agreements ------------------------------------------------------------------------------


def test_an_agreement_is_found_by_its_title_kind_party_and_dates():
    partner = make_partner(name_ru="Шанхай", name_en="Shanghai")
    agreement = make_agreement(
        partner,
        title_ru="Соглашение о побратимских связях",
        title_en="Twinning agreement",
        kind=Agreement.Kind.MEMORANDUM,
        valid_from_year=2013,
        valid_to_year=2018,
    )
    url = f"{partner.get_absolute_url()}#agreement-{agreement.pk}"
    for query in ("побратимских связей", "меморандум", "Правительство Санкт-Петербурга", "2013", "Шанхаем"):
        assert found(query).get("agreement") == [url], query
    assert found("twinning memorandum", "en")["agreement"] == [url.replace("/ru/", "/en/")]


def test_an_agreement_follows_its_milestones_and_its_partner():
    partner = make_partner(name_ru="Шанхай")
    agreement = make_agreement(partner, title_ru="Соглашение")
    milestone = make_milestone(agreement, "2019-05-24", label_ru="продление")
    assert found("продлению")["agreement"]
    milestone.delete()
    assert "agreement" not in found("продление")
    partner.is_published = False
    partner.save()
    assert "agreement" not in found("соглашение")
    partner.is_published = True
    partner.name_ru = "Шанхай (Хуанпу)"
    partner.save()
    assert found("Хуанпу")["agreement"] == [f"{partner.get_absolute_url()}#agreement-{agreement.pk}"]


def test_deleting_a_partner_forgets_it_and_its_agreements():
    partner = make_partner(name_ru="Шанхай")
    make_milestone(make_agreement(partner), "2013")
    make_milestone(make_agreement(partner), "2014")
    partner.delete()
    assert not SearchEntry.objects.exclude(kind="country").exists()


# --- Vietnamese abbreviations ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["tp ho chi minh", "TP. Hồ Chí Minh", "tp hcm", "TP.HCM", "tphcm", "hcm"])
@pytest.mark.parametrize("language", ["vi", "ru"])
def test_the_abbreviations_of_thanh_pho_find_ho_chi_minh_city(query, language):
    partner = make_partner(name_ru="Хошимин", name_en="Ho Chi Minh City", name_vi="Thành phố Hồ Chí Minh")
    make_partner(name_ru="Ханой", name_en="Hanoi", name_vi="Thành phố Hà Nội")
    assert found(query, language)["partner"] == [f"/{language}/partners/{partner.slug}/"]


def test_abbreviations_in_a_text_are_found_spelled_out():
    event = make_event(title_vi="Hội chợ tại Q. 1, TP. Hồ Chí Minh")
    assert found("quận 1 thành phố hồ chí minh", "vi")["event"] == [f"/vi/events/{event.pk}/"]
    assert "event" not in found("quận 2", "vi")


# --- Ranking ---------------------------------------------------------------------------------


def test_exact_names_then_names_then_texts():
    in_text = make_partner(name_ru="Нинбо", description_ru="Порт недалеко от Шанхая.")
    in_name = make_partner(name_ru="Район Сюхуэй (Шанхай)")
    exact = make_partner(name_ru="Шанхай")
    for query in ("Шанхай", "Шанхаю"):
        assert found(query)["partner"] == [p.get_absolute_url() for p in (exact, in_name, in_text)], query


def test_the_kind_holding_the_exact_name_comes_first(china):
    make_event(title_ru="Выставка «Шанхай»")
    make_partner(country=china, name_ru="Шанхай")
    assert search("Шанхай", "ru")[0].kind == "partner"
    make_event(title_ru="Дни Китая")
    assert [group.kind for group in search("Китай", "ru")] == ["country", "partner", "event"]


def test_rebuilding_keeps_what_saving_wrote(china):
    partner = make_partner(country=china, name_ru="Шанхай", aliases=["Шанхай-сити"])
    make_milestone(make_agreement(partner), "2013")
    make_society(countries=[china])
    columns = ("kind", "object_id", "language", "title", "text", "url", "names", "name_keys", "document")
    before = sorted(SearchEntry.objects.values_list(*columns))
    rebuild_index()
    assert sorted(SearchEntry.objects.values_list(*columns)) == before


# --- Events by their partners ----------------------------------------------------------------


def test_an_event_is_found_by_its_partners_names_and_says_so():
    osaka = make_partner(name_ru="Осака", name_en="Osaka", name_vi="Osaka")
    visit = make_event(title_ru="Визит делегации мэрии", title_en="A visit of the mayor's office", partners=[osaka])
    make_event(title_ru="Выставка", title_en="An exhibition")
    for query, language in [("Осака", "ru"), ("Осаки", "ru"), ("osaka", "en")]:
        events = hits(query, language, kind="event")
        assert [hit.url for hit in events] == [visit.get_absolute_url().replace("/ru/", f"/{language}/")], query
        assert "<mark>" in events[0].names_html  # why it was found
    assert hits("Осака")[0].url == osaka.get_absolute_url()  # the partner itself still comes first


def test_an_event_follows_its_partners_names_and_links_but_never_names_a_draft_partner():
    draft = make_partner(name_ru="Нагоя", is_published=False)
    visit = make_event(title_ru="Визит делегации", partners=[draft])
    assert hits("Нагоя", kind="event") == []
    draft.is_published = True
    draft.save()
    assert [hit.url for hit in hits("Нагоя", kind="event")] == [visit.get_absolute_url()]
    draft.name_ru = "Кобе"
    draft.save()
    assert hits("Нагоя", kind="event") == [] and len(hits("Кобе", kind="event")) == 1
    visit.partners.clear()
    assert hits("Кобе", kind="event") == []
