import csv
import io
import json

import pytest

from events.models import Event
from partners.models import Milestone
from tests.factories import make_agreement, make_country, make_event, make_partner, make_society


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def fetch_json(client, url):
    return json.loads(body(client.get(url)))


def fetch_csv(client, url):
    return list(csv.DictReader(io.StringIO(body(client.get(url)))))


@pytest.fixture
def data(db):
    country = make_country(code="VN")
    partner = make_partner(country=country, name_ru="Хошимин", name_en="", name_vi="Hồ Chí Minh", latitude="10.8231")
    partner.ties_since = "1984-03"
    partner.save()
    hidden = make_partner(is_published=False)
    agreement = make_agreement(partner)
    Milestone.objects.create(agreement=agreement, date_on="1962-09-20", date_precision=3, label_ru="подписано")
    Milestone.objects.create(agreement=agreement, date_on="1956-01-01", date_precision=1)
    make_agreement(hidden)
    society = make_society()
    draft_society = make_society(is_published=False)
    event = make_event(
        partners=[partner, hidden],
        societies=[society, draft_society],
        start="2024-07",
        end="2024-08-03",
        kind="festival",
    )
    make_event(is_published=False)
    return {"partner": partner, "agreement": agreement, "event": event, "society": society}


@pytest.mark.django_db
def test_partners_json_and_csv_round_trip(client, data):
    partner = data["partner"]
    document = fetch_json(client, "/vi/open-data/partners.json")
    assert "CC BY 4.0" in document["licence"] and document["data_date"] and document["language"] == "vi"
    (record,) = document["records"]
    assert record == {
        "id": partner.pk,
        "slug": partner.slug,
        "name": "Hồ Chí Minh",
        "name_language": "vi",
        "kind": "city",
        "country_code": "VN",
        "country": partner.country.name_vi,
        "country_language": "vi",
        "region": partner.country.region.code,
        "latitude": 10.8231,
        "longitude": None,
        "ties_since": "1984-03",
        "ties_since_precision": "month",
        "url": f"http://testserver/vi/partners/{partner.slug}/",
    }
    (row,) = fetch_csv(client, "/vi/open-data/partners.csv")
    assert row == {key: "" if value is None else str(value) for key, value in record.items()}


@pytest.mark.django_db
def test_agreements_round_trip_with_milestones_in_order(client, data):
    agreement = data["agreement"]
    (record,) = fetch_json(client, "/ru/open-data/agreements.json")["records"]
    assert record["id"] == agreement.pk and record["partner_id"] == data["partner"].pk
    assert record["title"] == agreement.title_ru
    assert record["milestones"] == [
        {"date": "1956", "precision": "year", "label": "", "label_language": None},
        {"date": "1962-09-20", "precision": "day", "label": "подписано", "label_language": "ru"},
    ]
    (row,) = fetch_csv(client, "/ru/open-data/agreements.csv")
    assert row["id"] == str(agreement.pk) and row["milestones"] == "1956;1962-09-20 подписано"
    assert row["milestones_label_language"] == ";ru"
    assert fetch_csv(client, "/en/open-data/agreements.csv")[0]["milestones_label_language"] == ";ru"


@pytest.mark.django_db
def test_events_round_trip(client, data):
    event = data["event"]
    (record,) = fetch_json(client, "/en/open-data/events.json")["records"]
    assert record["id"] == event.pk
    assert record["title"] == event.title_en
    assert (record["start"], record["start_precision"]) == ("2024-07", "month")
    assert (record["end"], record["end_precision"]) == ("2024-08-03", "day")
    assert (record["first_day"], record["last_day"]) == ("2024-07-01", "2024-08-03")
    assert (record["status"], record["state"]) == ("scheduled", "held")  # recorded as planned; its days are past
    assert record["partner_ids"] == [data["partner"].pk]
    assert record["society_ids"] == [data["society"].pk]
    assert record["url"] == f"http://testserver/en/events/{event.pk}/"
    assert Event.objects.get(pk=record["id"]).period.isoformat() == "2024-07/2024-08-03"
    (row,) = fetch_csv(client, "/en/open-data/events.csv")
    assert {key: row[key] for key in ("id", "title", "start", "end", "partner_ids")} == {
        "id": str(event.pk),
        "title": event.title_en,
        "start": "2024-07",
        "end": "2024-08-03",
        "partner_ids": str(data["partner"].pk),
    }


@pytest.mark.django_db
def test_open_data_page_documents_the_downloads(client, data):
    response = client.get("/en/open-data/")
    assert response.status_code == 200
    for name in ("partners", "agreements", "events", "societies"):
        for extension in ("json", "csv"):
            assert f'href="/en/open-data/{name}.{extension}"' in response.text
    assert 'rel="license"' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/ru/open-data/people.json", "/ru/open-data/events.xml", "/ru/open-data/events.json.csv"]
)
def test_unknown_downloads_are_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_empty_datasets_are_valid(client):
    assert fetch_json(client, "/ru/open-data/events.json")["records"] == []
    assert fetch_csv(client, "/ru/open-data/events.csv") == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["partners", "agreements", "events", "societies"])
def test_download_query_count_does_not_grow(client, django_assert_max_num_queries, name):
    counts = []
    for size in (1, 10, 50):
        partners = [make_partner() for _ in range(size)]
        for partner in partners:
            make_agreement(partner)
        for _ in range(size):
            make_event(partners=partners)
            make_society(countries=[partner.country for partner in partners])
        with django_assert_max_num_queries(8) as context:
            body(client.get(f"/ru/open-data/{name}.json"))
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.django_db
def test_societies_round_trip(client, data):
    society = data["society"]
    society.countries.set([data["partner"].country])
    society.website, society.address_ru = "https://example.org/", "Санкт-Петербург"
    society.save()
    (record,) = fetch_json(client, "/en/open-data/societies.json")["records"]
    assert record["id"] == society.pk and record["slug"] == society.slug
    assert (record["name"], record["name_language"]) == (society.name_en, "en")
    assert record["country_codes"] == ["VN"]
    assert record["website"] == "https://example.org/"
    assert (record["address"], record["address_language"]) == ("Санкт-Петербург", "ru")
    assert (record["description"], record["description_language"]) == ("", None)
    assert record["url"] == f"http://testserver/en/societies/{society.slug}/"
    (row,) = fetch_csv(client, "/en/open-data/societies.csv")
    assert (row["id"], row["country_codes"], row["address_language"]) == (str(society.pk), "VN", "ru")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_russian_only_texts_declare_russian_in_every_file(client, language):
    partner = make_partner(name_ru="Кханьхоа", name_en="", name_vi="")
    make_agreement(partner, title_en="", title_vi="")
    make_event(partners=[partner], title_ru="Визит делегации", title_en="", title_vi="", description_ru="<p>Текст</p>")
    make_society(name_ru="Общество дружбы", name_en="", name_vi="")
    expected = {
        "partners": {"name": "Кханьхоа", "name_language": "ru", "country_language": language},
        "agreements": {"title_language": "ru"},
        "events": {"title": "Визит делегации", "title_language": "ru", "description_language": "ru"},
        "societies": {"name": "Общество дружбы", "name_language": "ru"},
    }
    for name, fields in expected.items():
        (record,) = fetch_json(client, f"/{language}/open-data/{name}.json")["records"]
        assert {key: record[key] for key in fields} == fields
        (row,) = fetch_csv(client, f"/{language}/open-data/{name}.csv")
        assert {key: row[key] for key in fields} == fields


@pytest.mark.django_db
def test_files_honour_the_filters_of_their_lists(client):
    vietnam = make_country(code="VN")
    hanoi, turku = make_partner(country=vietnam), make_partner(country=make_country(code="FI"))
    make_agreement(hanoi), make_agreement(turku)
    in_hanoi = make_event(partners=[hanoi], start="2024-05-01", kind="exhibition")
    make_event(partners=[hanoi], start="2023-05-01", kind="exhibition")
    make_event(partners=[turku], start="2024-05-01", kind="festival")
    society = make_society(countries=[vietnam])
    make_society()

    def ids(url):
        return [record["id"] for record in fetch_json(client, url)["records"]]

    assert ids("/en/open-data/partners.json?country=VN") == [hanoi.pk]
    assert [row["id"] for row in fetch_csv(client, "/en/open-data/partners.csv?country=VN")] == [str(hanoi.pk)]
    assert {r["partner_id"] for r in fetch_json(client, "/en/open-data/agreements.json?country=VN")["records"]} == {
        hanoi.pk
    }
    assert ids("/en/open-data/events.json?year=2024&kind=exhibition") == [in_hanoi.pk]
    assert ids(f"/en/open-data/events.json?partner={hanoi.slug}&year=2024") == [in_hanoi.pk]
    assert ids("/en/open-data/societies.json?country=VN") == [society.pk]
    document = fetch_json(client, "/en/open-data/events.json?year=2024&kind=exhibition&sort=title")
    assert document["filters"] == {"year": "2024", "kind": "exhibition"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/open-data/partners.csv?country=ZZ",
        "/en/open-data/partners.json?ties_from=abc",
        "/en/open-data/agreements.json?kind=nonsense",
        "/en/open-data/events.csv?year=abc",
        "/en/open-data/events.json?date_from=xx",
        "/en/open-data/events.json?partner=unknown-slug",
        "/en/open-data/societies.json?kind=nonsense",
        "/en/open-data/partners.json?year=2024",  # a filter of the events, not of the partners
    ],
)
def test_an_invalid_filter_is_a_400_not_the_whole_file(client, url):
    make_event(partners=[make_partner()])
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    query = url.split("?", 1)[1]
    assert f"  {query}: " in response.content.decode()


@pytest.mark.django_db
def test_the_open_data_page_is_in_the_footer_and_the_sitemap(client):
    assert 'href="/en/open-data/"' in client.get("/en/").text
    assert "/vi/open-data/</loc>" in client.get("/sitemap-static.xml").content.decode()


@pytest.mark.django_db
def test_the_state_of_an_event_follows_the_day_the_file_is_made(client, settings, tmp_path, monkeypatch):
    """The file is kept per content version and day: tomorrow an event of today reads as held."""
    import datetime

    from django.utils import timezone

    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_FILES = tmp_path
    today = timezone.localdate()
    event = make_event(start=today.isoformat())
    (record,) = fetch_json(client, "/en/open-data/events.json")["records"]
    assert (record["id"], record["state"]) == (event.pk, "under-way")
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    (record,) = fetch_json(client, "/en/open-data/events.json")["records"]
    assert record["state"] == "held"
