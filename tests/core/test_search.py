import functools
import operator

import pytest
from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from association.models import NewsItem, Page
from core.models import SEARCH_KINDS, SearchEntry
from core.registry import searchable
from core.search import Document, highlight, rebuild_index, search
from tests.factories import make_agreement, make_country, make_event, make_partner, make_society


def found(text: str, language: str = "ru") -> dict[str, list[str]]:
    return {group.kind: [hit.url for hit in group.hits] for group in search(text, language)}


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["визит", "визиты", "визитом", "Визита", "ВИЗИТАМИ"])
def test_russian_word_forms_are_found(word):
    event = make_event(title_ru="Официальный визит губернатора", description_ru="Переговоры о сотрудничестве")
    assert found(word)["event"] == [event.get_absolute_url()]


@pytest.mark.django_db
def test_english_stemming(client):
    event = make_event(title_en="Exhibitions of lacquer paintings")
    with_url = f"/en/events/{event.pk}/"
    assert found("exhibition painting", "en")["event"] == [with_url]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Ho Chi Minh", "ho chi minh", "Hồ Chí Minh", "HO CHI"])
def test_vietnamese_without_diacritics(query):
    partner = make_partner(name_ru="Хошимин", name_en="Ho Chi Minh City", name_vi="Thành phố Hồ Chí Minh")
    assert found(query, "vi")["partner"] == [f"/vi/partners/{partner.slug}/"]


@pytest.mark.django_db
def test_other_languages_names_are_found_too():
    partner = make_partner(name_ru="Хошимин", name_en="", name_vi="Thành phố Hồ Chí Minh")
    assert found("Ho Chi Minh", "ru")["partner"] == [f"/ru/partners/{partner.slug}/"]


@pytest.mark.django_db
def test_text_shown_through_the_fallback_is_found():
    event = make_event(title_ru="Концерт в Ханое", title_en="", title_vi="")
    society = make_society(name_ru="Общество дружбы «Россия — Вьетнам»", name_en="", name_vi="")
    assert found("концерт", "vi")["event"] == [f"/vi/events/{event.pk}/"]
    assert found("общество дружбы", "en")["society"] == [society.get_absolute_url().replace("/ru/", "/en/")]


@pytest.mark.django_db
def test_unpublished_and_future_records_are_not_found():
    make_event(title_ru="Секретный визит", is_published=False)
    NewsItem.objects.create(title_ru="Будущий визит", published_on="2999-01-01")
    assert found("визит") == {}


@pytest.mark.django_db
def test_the_document_is_the_one_search_vectors_build():
    parts = [
        ("russian", "Визиты делегаций", "A"),
        ("english", "Exhibitions of paintings", "A"),
        ("simple", "ho chi minh", "C"),
        ("simple", "50% d'Artagnan; DROP TABLE x --", "D"),
        ("simple", "", "D"),
    ]
    built = functools.reduce(
        operator.add, [SearchVector(Value(text), config=config, weight=weight) for config, text, weight in parts]
    )
    partner = make_partner()
    row = type(partner).objects.filter(pk=partner.pk).annotate(ours=Document(parts), built=built)
    ours, expected = row.values_list("ours", "built").get()
    assert ours == expected and "'paint':5A" in ours and "'artagnan'" in ours


@pytest.mark.django_db
def test_the_index_follows_edits_and_deletes():
    event = make_event(title_ru="Фестиваль")
    assert "event" in found("фестиваль")
    event.title_ru = "Выставка"
    event.save()
    assert "event" not in found("фестиваль") and "event" in found("выставка")
    event.is_published = False
    event.save()
    assert found("выставка") == {}
    event.is_published = True
    event.save()
    event.delete()
    assert SearchEntry.objects.count() == 0


@pytest.mark.django_db
def test_rebuild_index_covers_all_kinds():
    partner = make_partner(name_ru="Циндао", country=make_country(name_ru="Республика Циндао"))
    make_agreement(partner, title_ru="Соглашение с Циндао")
    make_event(title_ru="Визит в Циндао")
    make_society(name_ru="Клуб Циндао")
    Page.objects.create(title_ru="О Циндао")
    NewsItem.objects.create(title_ru="Новости Циндао")
    SearchEntry.objects.all().delete()
    assert rebuild_index() == 7
    assert set(found("циндао")) == {"country", "partner", "agreement", "event", "society", "page", "news"}


def test_highlight_escapes_and_marks():
    html = highlight("<b>Визитом</b> & Hồ Chí Minh", "визит ho chi minh")
    assert html == "&lt;b&gt;<mark>Визитом</mark>&lt;/b&gt; &amp; <mark>Hồ</mark> <mark>Chí</mark> <mark>Minh</mark>"
    long = "слово " * 100 + "визит " + "слово " * 100
    snippet = highlight(long, "визит", length=60)
    assert "<mark>визит</mark>" in snippet and snippet.startswith("… ") and snippet.endswith(" …")


@pytest.mark.django_db
def test_search_page_groups_results_and_escapes(client):
    make_partner(name_ru="Ханой <script>")
    make_event(title_ru="Дни Ханоя", description_ru="<p>Концерт & выставка в Ханое</p>")
    response = client.get("/ru/search/?q=Ханой")
    assert response.status_code == 200
    html = response.text
    assert 'id="results-partner"' in html and 'id="results-event"' in html
    assert "<mark>Ханой</mark> &lt;script&gt;" in html
    assert "<script>" not in html.split("<main", 1)[1].replace('<script type="application/ld+json">', "")
    assert 'role="search"' in html and '<label for="site-search-q">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "q=", "q=%20%20", "q=" + "ы" * 5000, "q=!!!&q=(((", "q=%00", "q=a:*|!b", "q=the", "q=-", 'q="unclosed'],
)
def test_odd_queries_never_fail(client, query):
    make_event()
    assert client.get(f"/vi/search/?{query}").status_code == 200


@pytest.mark.django_db
def test_search_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.get("/ru/search/?q=визит")  # the menu, derived once: new records leave it as it is
    counts = []
    for size in (1, 10, 50):
        for n in range(size):
            make_partner(name_ru=f"Город визитов {n}")
            make_event(title_ru=f"Визит {n}")
            make_society(name_ru=f"Визит-клуб {n}")
        with django_assert_max_num_queries(5) as context:
            assert client.get("/ru/search/?q=визит").status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.django_db
def test_a_word_in_very_many_records_is_counted_up_to_a_cap_and_the_best_are_ranked(client, monkeypatch):
    monkeypatch.setattr("core.search.COUNT_CAP", 4)
    monkeypatch.setattr("core.search.RANK_CANDIDATES", 6)
    for n in range(6):
        make_event(title_ru=f"Встреча {n}", description_ru="визит")
    make_partner(name_ru="Город визитов")
    groups = {group.kind: group for group in search("визит", "ru")}
    assert (groups["event"].count, groups["event"].more) == (4, True)
    assert (groups["partner"].count, groups["partner"].more) == (1, False)
    assert len(groups["event"].hits) == 5  # ranked among at most RANK_CANDIDATES of the kind
    html = client.get("/ru/search/?q=визит").text
    assert "более 5 результатов" in html and '<span class="count">(4+)</span>' in html
    assert '<span class="count">(1)</span>' in html


def test_every_kind_of_record_has_its_search_index():
    assert {entry.search.kind for entry in searchable()} == set(SEARCH_KINDS)
