"""A page of an event selection is the same slice of the full order, whatever the filter and sort.

Slicing a sorted selection first narrows it to the first events of each group (upcoming,
past) in an order that an index provides; these tests compare every page with the same
slice of the selection sorted whole.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from events.filters import EventFilter
from events.models import Event
from events.selection import in_list_order
from tests.factories import make_country, make_event, make_partner

SORTS = ["date", "newest", "oldest", "title"]
PAGE_SIZES = [1, 2, 3, 5, 30]


@pytest.fixture
def selection(db):
    today = timezone.localdate()
    vietnam, france = make_country(code="VN"), make_country(code="FR")
    hanoi, paris = make_partner(country=vietnam), make_partner(country=france)

    def days(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    # Ties on the start date, an event that ends today, one under way, year and month precision,
    # and titles missing in some languages (shown through the fallback), some of them equal.
    specs = [
        {"start": days(40), "partners": [hanoi], "title_ru": "Форум"},
        {"start": days(40), "partners": [paris], "title_ru": "Форум", "title_en": ""},
        {"start": days(3), "title_ru": "Ярмарка", "title_en": "Fair", "title_vi": ""},
        {"start": days(-2), "end": days(5), "partners": [hanoi], "title_ru": "Визит делегации Ханоя"},
        {"start": days(-1), "end": days(0), "title_ru": "Аукцион", "kind": "exhibition"},
        {"start": days(-1), "partners": [paris], "title_ru": "Визит в Париж", "title_vi": ""},
        {"start": days(-30), "partners": [hanoi], "title_ru": "Визит", "title_en": "", "title_vi": ""},
        {"start": days(-30), "partners": [hanoi, paris], "title_ru": "Встреча", "kind": "exhibition"},
        {"start": days(-30), "title_ru": "Встреча"},
        {"start": "2019-06", "partners": [paris], "title_ru": "Выставка", "kind": "exhibition"},
        {"start": "2019", "partners": [hanoi], "title_ru": "Ярмарка", "title_en": ""},
        {"start": "2019", "title_ru": "Ярмарка"},
        {"start": "2001-05-01", "end": "2001-05-03", "partners": [hanoi], "title_ru": "Концерт"},
    ]
    events = [make_event(**spec) for spec in specs]
    make_event(start=days(-3), is_published=False)  # drafts and events published later are never listed
    make_event(start=days(10), published_on=today + timedelta(days=1))
    return {"events": events, "hanoi": hanoi}


FILTERS = [
    {},
    {"country": "VN"},
    {"q": "визит"},
    {"kind": "exhibition"},
    {"when": "past"},
    {"when": "upcoming"},
]


def sorted_selection(data: dict, sort: str):
    selection = EventFilter({**data, "sort": sort}, queryset=Event.objects.published().prefetch_related("partners"))
    return in_list_order(selection)


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("data", FILTERS, ids=lambda data: "&".join(f"{k}={v}" for k, v in data.items()) or "all")
def test_every_page_is_the_same_slice_of_the_whole_order(selection, language, sort, data):
    with translation.override(language):
        whole = [event.pk for event in sorted_selection(data, sort)]
        assert whole, "each filter selects something"
        for size in PAGE_SIZES:
            for start in range(0, len(whole) + 1, size):
                page = sorted_selection(data, sort)[start : start + size]
                assert [event.pk for event in page] == whole[start : start + size], (size, start)


def test_the_whole_default_order(selection):
    events = selection["events"]
    expected = [events[i].pk for i in (3, 4, 2, 1, 0)]  # under way, ending today, then by start; ties: newest pk
    expected += [events[i].pk for i in (5, 8, 7, 6, 9, 11, 10, 12)]  # past: latest start first; ties: newest pk
    assert [event.pk for event in sorted_selection({}, "date")] == expected


def test_a_page_keeps_annotations_and_prefetches(selection, django_assert_num_queries):
    page = sorted_selection({"partner": selection["hanoi"].slug}, "date")[:2]
    with django_assert_num_queries(2):  # the page, then its partners
        events = list(page)
        assert [event.past_rank for event in events] == [0, 0]
        assert all(event.partners.all() for event in events)


def test_slices_that_need_no_narrowing(selection):
    queryset = sorted_selection({}, "date")
    whole = [event.pk for event in queryset]
    assert list(sorted_selection({}, "date")[3:3]) == []
    assert sorted_selection({}, "date").first().pk == whole[0]
    assert sorted_selection({}, "date")[4].pk == whole[4]
    assert [event.pk for event in queryset[2:6]] == whole[2:6]  # from the evaluated queryset's cache
    assert [event.pk for event in sorted_selection({}, "date")[2:9][1:3]] == whole[3:5]
