"""When nothing matches: "Did you mean …?" over the names the site knows."""

import pytest

from core.search import search, suggest
from tests.factories import make_country, make_event, make_partner, make_society

pytestmark = pytest.mark.django_db


@pytest.fixture
def names():
    china = make_country(name_ru="Китай", name_en="China", name_vi="Trung Quốc")
    make_partner(country=china, name_ru="Шанхай", name_en="Shanghai", name_vi="Thượng Hải")
    make_partner(name_ru="Ханой", name_en="Hanoi", name_vi="Hà Nội")
    make_society(name_ru="Общество дружбы «Россия — Вьетнам»", name_en="Russia–Vietnam Friendship Society")


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("Shanghia", "en", "Shanghai"),
        ("shangai", "vi", "Shanghai"),
        ("Шанхйа", "ru", "Шанхай"),
        ("Ханоии", "ru", "Ханой"),
        ("Chnia", "en", "China"),
        ("Trung Quoc Shanghia", "vi", "Trung Quoc Shanghai"),  # word by word when no name is close
        ("визит Shanghia", "ru", "визит Shanghai"),  # a dictionary word is no typo
        ("Frendship", "en", "Friendship"),
    ],
)
def test_a_typo_in_a_name_suggests_the_name(names, query, language, expected):
    assert search(query, language) == []
    assert suggest(query, language) == expected


@pytest.mark.parametrize("query", ["zzzzqqq", "визитом", "a", "!!!"])
def test_nothing_close_suggests_nothing(names, query):
    assert suggest(query, "ru") is None


def test_only_public_names_are_suggested(db):
    make_partner(name_ru="Секретград", name_en="Secretgrad", is_published=False)
    assert suggest("Secretgrd", "en") is None


def test_names_of_events_are_not_suggested(db):
    make_event(title_ru="Фестиваль «Белые ночи»", title_en="White Nights Festival")
    assert suggest("Whyte Nigts", "en") is None
