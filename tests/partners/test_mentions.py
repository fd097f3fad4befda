"""The partners a Russian text names, in any case and abbreviated as the reports write them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.mentions import PartnerMentions
from partners.models import Partner
from tests.factories import make_country, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    china, vietnam, kyrgyzstan, finland, bosnia = (make_country(code=code) for code in ("CN", "VN", "KG", "FI", "BA"))
    partners = {
        "beijing": make_partner(country=china, name_ru="Пекин", aliases=["Пекин"]),
        "shanghai": make_partner(country=china, name_ru="Шанхай", aliases=["г. Шанхай", "Шанхай"]),
        "xuhui": make_partner(
            country=china,
            name_ru="Район Сюхуэй (Шанхай)",
            kind=Partner.Kind.DISTRICT,
            aliases=["Муниципальный район Сюхуэй, г. Шанхай"],
        ),
        "sichuan": make_partner(
            country=china, name_ru="Провинция Сычуань", kind=Partner.Kind.REGION, aliases=["провинция Сычуань"]
        ),
        "dien-bien": make_partner(
            country=vietnam, name_ru="Провинция Дьенбьен", kind=Partner.Kind.REGION, aliases=["Провинция Дьенбьен"]
        ),
        "hcmc": make_partner(country=vietnam, name_ru="Хошимин", aliases=["г. Хошимин"]),
        "bishkek": make_partner(country=kyrgyzstan, name_ru="Бишкек", aliases=["Бишкек"]),
        "osh": make_partner(country=kyrgyzstan, name_ru="Ош", aliases=["г. Ош"]),
        "kyrgyzstan": make_partner(country=kyrgyzstan, name_ru="Киргизия", kind=Partner.Kind.GOVERNMENT, aliases=[""]),
        "turku": make_partner(country=finland, name_ru="Турку", aliases=["г. Турку"]),
        "srpska": make_partner(
            country=bosnia, name_ru="Республика Сербская", kind=Partner.Kind.AUTONOMOUS, aliases=["Республика Сербская"]
        ),
    }
    return partners


def named(world, text):
    slugs = {partner.pk: key for key, partner in world.items()}
    return [slugs[partner.pk] for partner in PartnerMentions().named_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("визит заместителя мэра Пекина.", ["beijing"]),
        ("визит делегации Санкт-Петербурга в г. Шанхай с целью развития перевозок", ["shanghai"]),
        ("визит делегацией г. Чэнду провинции Сычуань.", ["sichuan"]),
        ("сотрудничество с Шанхаем и Пекином", ["shanghai", "beijing"]),
        ("визит делегации пров. Дьенбьен во главе с секретарем", ["dien-bien"]),
        ("Подписано Соглашение с Народным комитетом провинции Дьенбьен.", ["dien-bien"]),
        ("рабочий визит делегации Санкт-Петербурга в Бишкек и Ош.", ["bishkek", "osh"]),
        ("визит делегации Мэрии г. Ош в Бишкеке и в Оше", ["osh", "bishkek"]),
        ("главный врач онкологической клиники г. Хошимин", ["hcmc"]),
        ("встреча в Турку", ["turku"]),
        ("визит делегации в Республику Сербскую", ["srpska"]),
        ("министерство Республики Сербской", ["srpska"]),
    ],
)
def test_a_partner_is_named_in_any_case_and_abbreviation(world, text, expected):
    assert named(world, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "турки и турка на выставке",  # common words, and Turku's name read as «турок» by pymorphy
        "фестиваль мира и дружбы, пекинская опера",  # lower case; an adjective is not the city
        "ошибка в отчёте",  # a longer word that starts like «Ош»
        "памятник на пересечении пр. Просвещения и ул. Хошимина",  # a street of St Petersburg
        "визит Президента Киргизии",  # a country named is not its government
        "Республика Беларусь",  # one word of a two-word name
    ],
)
def test_no_partner_is_named_by_common_words_streets_or_countries(world, text):
    assert named(world, text) == []


def test_a_bracketed_spelling_names_the_partner_that_bears_it(world):
    assert named(world, "визит в Шанхай") == ["shanghai"]
    assert named(world, "Муниципальный район Сюхуэй, г. Шанхай") == ["xuhui", "shanghai"]


def test_partners_are_read_once_whatever_the_number_of_texts(world):
    with CaptureQueriesContext(connection) as queries:
        mentions = PartnerMentions()
        for _ in range(20):
            mentions.named_in("визит в Пекин, Шанхай и Бишкек")
    assert len(queries) == 1
