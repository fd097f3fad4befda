import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from events.filters import EventFilter
from events.models import Event
from events.selection import in_list_order
from tests.factories import make_country, make_event, make_partner, make_region, make_society


def selected(**data) -> list[int]:
    filterset = EventFilter({key: str(value) for key, value in data.items()}, queryset=Event.objects.published())
    return [event.pk for event in in_list_order(filterset)]


@pytest.fixture
def world(db):
    europe, asia = make_region(code="europe"), make_region(code="asia")
    france, vietnam = make_country(code="FR", region=europe), make_country(code="VN", region=asia)
    paris, hcmc, hanoi = make_partner(country=france), make_partner(country=vietnam), make_partner(country=vietnam)
    society = make_society(countries=[vietnam])
    today = timezone.localdate()
    events = {
        "paris_2019": make_event(partners=[paris], start="2019-06", kind=Event.Kind.EXHIBITION, place="abroad"),
        "vietnam_2024": make_event(
            partners=[hcmc, hanoi],
            societies=[society],
            start="2024-07-03",
            end="2024-07-06",
            kind=Event.Kind.INCOMING,
            place="spb",
            title_ru="Визит делегации Хошимина",
        ),
        "online_cancelled": make_event(
            start="2024", place="online", status=Event.Status.CANCELLED, kind=Event.Kind.VIDEO
        ),
        "future": make_event(partners=[hcmc], start=(today + timedelta(days=30)).isoformat(), place="spb"),
    }
    return {"europe": europe, "asia": asia, "paris": paris, "hcmc": hcmc, "society": society, **events}


def pks(world, *names):
    return sorted(world[name].pk for name in names)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["paris_2019", "vietnam_2024", "online_cancelled", "future"]),
        ({"year": 2024}, ["vietnam_2024", "online_cancelled"]),
        ({"year": 2019}, ["paris_2019"]),
        ({"date_from": "2024-07-05", "date_to": "2024-07-10"}, ["vietnam_2024", "online_cancelled"]),
        ({"date_to": "2019-06-15"}, ["paris_2019"]),
        ({"region": "asia"}, ["vietnam_2024", "future"]),
        ({"region": "europe"}, ["paris_2019"]),
        ({"country": "VN"}, ["vietnam_2024", "future"]),
        ({"kind": "exhibition"}, ["paris_2019"]),
        ({"place": "online"}, ["online_cancelled"]),
        ({"place": "spb"}, ["vietnam_2024", "future"]),
        ({"place": "abroad"}, ["paris_2019"]),
        ({"status": "cancelled"}, ["online_cancelled"]),
        ({"when": "upcoming"}, ["future"]),
        ({"when": "past"}, ["paris_2019", "vietnam_2024", "online_cancelled"]),
        ({"q": "хошимин"}, ["vietnam_2024"]),
        ({"q": "ВИЗИТ хошимина"}, ["vietnam_2024"]),
        ({"q": "визитом"}, ["vietnam_2024", "paris_2019", "online_cancelled", "future"]),
    ],
)
def test_each_filter(world, data, expected):
    assert sorted(selected(**data)) == pks(world, *expected)


def test_partner_and_society_filters_use_slugs(world):
    assert sorted(selected(partner=world["hcmc"].slug)) == pks(world, "vietnam_2024", "future")
    assert selected(society=world["society"].slug) == [world["vietnam_2024"].pk]


def test_an_event_with_two_partners_of_a_region_is_listed_once(world):
    assert selected(region="asia").count(world["vietnam_2024"].pk) == 1


def test_the_region_select_offers_only_regions_with_published_partners(world, client):
    make_region(code="other", name_en="Other countries")
    make_country(code="AQ", region=make_region(code="drafts", name_en="Drafts only"))
    make_partner(country=make_country(code="GL", region=make_region(code="polar")), is_published=False)
    html = client.get("/en/events/").text
    offered = html[html.index('name="region"') : html.index("</select>", html.index('name="region"'))]
    assert 'value="asia"' in offered and 'value="europe"' in offered
    assert 'value="other"' not in offered and 'value="drafts"' not in offered and 'value="polar"' not in offered


FILTER_VALUES = {
    "region": "asia",
    "country": "VN",
    "place": "spb",
    "kind": "incoming-delegation",
    "status": "scheduled",
    "when": "past",
}


@pytest.mark.parametrize("combination", list(itertools.combinations(FILTER_VALUES, 2)))
def test_combinations_narrow_to_the_intersection(world, combination):
    data = {"year": 2024, **{key: FILTER_VALUES[key] for key in combination}}
    assert selected(**data) == [world["vietnam_2024"].pk]


def test_combination_with_partner_society_and_dates(world):
    data = {"partner": world["hcmc"].slug, "society": world["society"].slug, "date_from": "2024-01-01"}
    assert selected(**data) == [world["vietnam_2024"].pk]
    assert selected(**data, kind="exhibition") == []


@pytest.mark.parametrize(
    "data",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"year": "-5"},
        {"date_from": "2024-13-45"},
        {"date_to": "yesterday"},
        {"region": "atlantis"},
        {"country": "XX"},
        {"partner": "no-such-city"},
        {"society": "0"},
        {"kind": "party"},
        {"place": "moon"},
        {"status": "'; DROP TABLE events_event; --"},
        {"when": "tomorrow"},
        {"sort": "random"},
        {"q": "x" * 5000},
    ],
)
def test_bad_values_are_ignored_with_a_form_error(world, data):
    filterset = EventFilter(data, queryset=Event.objects.published())
    assert not filterset.form.is_valid()
    assert len(list(filterset.qs)) == 4


def test_a_range_that_ends_before_it_starts_is_an_error(world):
    filterset = EventFilter({"date_from": "2024-07-01", "date_to": "2020-01-01"}, queryset=Event.objects.published())
    assert "date_to" in filterset.form.errors


def test_upcoming_events_come_before_past_ones_in_every_order(world):
    for sort in ("date", "newest", "oldest", "title"):
        order = selected(sort=sort)
        assert order[0] == world["future"].pk, sort


def test_default_order_is_latest_past_first_after_upcoming(world):
    assert selected() == [
        world["future"].pk,
        world["vietnam_2024"].pk,
        world["online_cancelled"].pk,
        world["paris_2019"].pk,
    ]
    oldest = [world[name].pk for name in ("paris_2019", "online_cancelled", "vietnam_2024")]
    assert selected(sort="oldest")[1:] == oldest


def test_year_covers_events_that_span_it(db):
    spanning = make_event(start="2023-12-20", end="2024-01-10")
    assert selected(year=2024) == [spanning.pk]
    assert selected(year=2023) == [spanning.pk]
    assert selected(year=2025) == []


def test_labels_are_translated(db):
    from django.utils import translation

    with translation.override("en"):
        assert str(EventFilter().form.fields["place"].label) == "Where"


def offered(filterset: EventFilter, name: str) -> list[str]:
    filterset.offer_choices()
    return [value for value, _label in filterset.form.fields[name].widget.choices if value]


def test_a_chosen_country_narrows_the_partner_and_society_lists(world):
    vietnamese = {partner.slug for partner in world["hcmc"].country.partners.all()}
    everything = EventFilter({}, queryset=Event.objects.published())
    assert set(offered(everything, "partner")) == {world["paris"].slug, *vietnamese}
    vietnam = EventFilter({"country": "VN"}, queryset=Event.objects.published())
    assert set(offered(vietnam, "partner")) == vietnamese
    assert offered(vietnam, "society") == [world["society"].slug]
    assert offered(EventFilter({"country": "FR"}, queryset=Event.objects.published()), "society") == []


def test_past_the_limit_the_partner_list_waits_for_a_country(world, monkeypatch):
    monkeypatch.setattr("events.filter_choices.CHOICE_LIMIT", 2)
    unscoped = EventFilter({}, queryset=Event.objects.published())
    assert offered(unscoped, "partner") == []
    assert unscoped.form["partner"].help_text
    linked = EventFilter({"partner": world["paris"].slug}, queryset=Event.objects.published())
    assert offered(linked, "partner") == [world["paris"].slug]
    assert [event.pk for event in linked.qs] == [world["paris_2019"].pk]
    vietnam = EventFilter({"country": "VN"}, queryset=Event.objects.published())
    assert len(offered(vietnam, "partner")) == 2
    assert not vietnam.form["partner"].help_text
