import re

import pytest

from tests.factories import make_event, make_partner, make_society


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_list_shows_count_groups_and_subscribe_links(client, language):
    make_event(start="2099-05")
    make_event(start="2001-05")
    response = client.get(f"/{language}/events/?kind=other&sort=newest")
    assert response.status_code == 200
    html = response.text
    assert 'id="events-upcoming"' in html and 'id="events-past"' in html
    assert html.index('id="events-upcoming"') < html.index('id="events-past"')
    assert 'role="status">2 ' in html
    assert '<link rel="alternate" type="text/calendar" title="' in html
    assert f'href="/{language}/events/calendar.ics?kind=other&amp;sort=newest"' in html
    assert f'href="/{language}/events/feed.atom?kind=other&amp;sort=newest"' in html


@pytest.mark.django_db
def test_every_form_field_has_a_label_and_the_form_is_grouped(client):
    html = client.get("/en/events/").text
    start = html.index('<form class="event-filter"')
    form = html[start : html.index("</form>", start)]
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', form)
    assert len(ids) == 13
    for field_id in ids:
        assert f'<label for="{field_id}"' in form
    assert form.count("<fieldset>") == form.count("<legend>") == 4
    assert 'method="get"' in form


@pytest.mark.django_db
def test_pagination_keeps_the_selection_and_far_pages_show_the_last_one(client):
    for _ in range(35):
        make_event(start="2020-01-01", kind="festival")
    response = client.get("/ru/events/?kind=festival&page=99999")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert 'href="?kind=festival&amp;page=1"' in response.text


def query_count_for(client, django_assert_max_num_queries, url):
    """Queries of ``url`` with the values derived from the content (menu, filter choices) as they stand."""
    client.get(url)  # computes those that the new rows changed (the menu stays: no page was added)
    with django_assert_max_num_queries(12) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    counts = []
    for size in (1, 10, 50):
        partners = [make_partner() for _ in range(size)]
        societies = [make_society() for _ in range(size)]
        for _ in range(size):
            make_event(partners=partners, societies=societies)
        counts.append(query_count_for(client, django_assert_max_num_queries, "/vi/events/?q=a&sort=title"))
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.django_db
def test_past_the_limit_the_form_asks_for_a_country_without_more_queries(
    client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("events.filter_choices.CHOICE_LIMIT", 5)
    make_event(partners=[make_partner()], societies=[make_society()])
    below = query_count_for(client, django_assert_max_num_queries, "/en/events/")
    for _ in range(10):
        make_event(partners=[make_partner()], societies=[make_society()])
    assert query_count_for(client, django_assert_max_num_queries, "/en/events/") <= below
    html = client.get("/en/events/").text
    for name in ("partner", "society"):
        select = re.search(rf'<select[^>]* name="{name}">(.*?)</select>', html, re.S).group(1)
        assert select.count("<option") == 1, name
    assert 'aria-describedby="id_partner_helptext"' in html
    assert '<small class="help" id="id_partner_helptext">Choose a country to list its partners.</small>' in html


ODD_QUERIES = [
    "page=abc",
    "page=-1",
    "page=99999",
    "page=1e9",
    "year=0&year=2024&year=abc",
    "date_from=2024-02-30",
    "date_from=9999-99-99&date_to=0000-00-00",
    "region=%00&country=%FF%FE",
    "partner=" + "a" * 3000,
    "q=" + "%D0%B2" * 2000,
    "q=%25%5F%5C",
    "sort=-title&sort=date",
    "kind[]=x&status=&place=",
    "unknown=1&&&==&",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_parameters_never_fail(client, query):
    """The list shows a bad value back in its form; a calendar or a feed refuses it with a 400."""
    make_event()
    assert client.get(f"/ru/events/?{query}").status_code == 200
    for url in ("/en/events/calendar.ics", "/vi/events/feed.atom"):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), url


@pytest.mark.django_db
def test_the_form_lists_a_new_partner_at_once(client):
    make_event(partners=[make_partner(name_en="Turku")])
    assert ">Turku</option>" in client.get("/en/events/").text
    make_partner(name_en="Tampere")
    html = client.get("/en/events/").text
    assert ">Turku</option>" in html and ">Tampere</option>" in html


@pytest.mark.django_db
def test_the_form_is_rendered_once_per_selection_and_language_and_shows_its_values(client):
    make_event(partners=[make_partner(name_en="Turku")], kind="festival")
    form = "events/includes/filter_form.html"
    first = client.get("/en/events/?kind=festival")
    assert form in [template.name for template in first.templates]
    again = client.get("/en/events/?kind=festival&page=1")
    assert form not in [template.name for template in again.templates]
    assert '<option value="festival" selected>' in again.text
    other = client.get("/en/events/?kind=festival&year=1200")  # another selection, with an error to show
    assert form in [template.name for template in other.templates]
    assert 'value="1200" inputmode="numeric" pattern="[0-9]{4}" aria-invalid="true"' in other.text
    russian = client.get("/ru/events/?kind=festival")
    assert form in [template.name for template in russian.templates]
