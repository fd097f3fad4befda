"""The one partner matcher: a printed name (with its country where known) to partners, for the seed and the import."""

import pytest

from association.seed import SeedError
from association.seed import _partner as seed_partner
from partners.matching import PartnerMatcher, normalise_name, partner_key, spellings
from partners.models import Partner
from tests.factories import make_country, make_partner


@pytest.mark.parametrize(
    ("printed", "stored"),
    [
        ("г. Хошимин", "Хошимин"),
        ("город Минск", "Минск"),
        ("пров. Ханам", "Ханам"),
        ("  ХОШИМИН ", "хошимин"),
        ("Hồ Chí Minh", "Ho Chi Minh"),
        ("Đà Nẵng", "da nang"),
        ("Королёв", "Королев"),
        ("«Республика Сербская»", "Республика  Сербская"),
    ],
)
def test_names_compare_without_prefix_case_accents_or_spacing(printed, stored):
    assert normalise_name(printed) == normalise_name(stored)


def test_different_names_stay_different():
    assert normalise_name("Минск") != normalise_name("Пинск")
    assert normalise_name("Гавана") != normalise_name("г. Гавана и провинция")


def test_spellings_try_the_exact_form_first_then_the_bracketed_parts_and_no_province():
    assert spellings("Мумбай (Бомбей)") == [normalise_name(n) for n in ("Мумбай (Бомбей)", "Мумбай", "Бомбей")]
    assert spellings("провинция Ханам") == [normalise_name("провинция Ханам"), normalise_name("Ханам")]


@pytest.fixture
def world(db):
    kazakhstan = make_country(code="KZ", name_ru="Казахстан", name_en="Kazakhstan", aliases=["Республика Казахстан"])
    vietnam = make_country(code="VN", name_ru="Вьетнам", name_en="Viet Nam")
    belarus = make_country(code="BY", name_ru="Беларусь", name_en="Belarus", aliases=["Белоруссия"])
    return {
        "kz": kazakhstan,
        "vn": vietnam,
        "by": belarus,
        "astana": make_partner(country=kazakhstan, name_ru="Астана", aliases=["Нур-Султан", "г. Акмола"]),
        "hcmc": make_partner(country=vietnam, name_ru="Хошимин", aliases=["Hồ Chí Minh"]),
        "hanam": make_partner(country=vietnam, name_ru="Ханам", kind=Partner.Kind.REGION),
        "mumbai": make_partner(country=make_country(code="IN", name_ru="Индия"), name_ru="Мумбай"),
        "minsk": make_partner(country=belarus, name_ru="Минск"),
        "belarus": make_partner(country=belarus, name_ru="Республика Беларусь", kind=Partner.Kind.GOVERNMENT),
    }


def test_the_stored_aliases_are_the_name_and_the_spellings_normalised(world):
    assert world["astana"].normalised_aliases == sorted(normalise_name(n) for n in ("Астана", "Нур-Султан", "Акмола"))


def test_a_renamed_city_is_found_under_its_old_name_through_its_aliases(world):
    matcher = PartnerMatcher()
    for printed in ("Нур-Султан", "НУР-СУЛТАН", "г. Нур-Султан", "Акмола", "Астана"):
        assert matcher.match("Казахстан", printed).partners == [world["astana"]], printed


@pytest.mark.parametrize("country", ["Казахстан", "казахстан", "Kazakhstan", "Республика Казахстан"])
def test_a_country_answers_to_its_russian_and_english_names_and_aliases(world, country):
    assert PartnerMatcher().country(country) == world["kz"]


def test_case_accents_and_prefixes_are_ignored(world):
    matcher = PartnerMatcher()
    for printed in ("г. Хошимин", "ХОШИМИН", "Ho Chi Minh", "hồ chí minh", "город  Хошимин"):
        assert matcher.match("Вьетнам", printed).partners == [world["hcmc"]], printed


def test_bracketed_parts_and_province_are_tried_after_the_exact_name(world):
    matcher = PartnerMatcher()
    assert matcher.match("Индия", "Мумбай (Бомбей)").partners == [world["mumbai"]]
    assert matcher.match("Вьетнам", "провинция Ханам").partners == [world["hanam"]]


def test_a_partner_is_only_found_in_its_own_country(world):
    assert PartnerMatcher().match("Казахстан", "Хошимин").partners == []


def test_a_blank_partner_name_is_the_countrys_government(world):
    matcher = PartnerMatcher()
    assert matcher.match("Белоруссия", "").partners == [world["belarus"]]
    assert matcher.match("Вьетнам", "").partners == []  # no government recorded


def test_a_country_name_that_names_a_partner_of_one_country_is_that_partner(world):
    match = PartnerMatcher().match("Минск", "")
    assert (match.country, match.partners, match.partner_name) == (world["by"], [world["minsk"]], "Минск")


def test_a_name_shared_by_partners_of_two_countries_is_no_country(world):
    make_partner(country=world["vn"], name_ru="Минск")
    match = PartnerMatcher().match("Минск", "")
    assert (match.country, match.partners) == (None, [])


def test_an_unknown_country_matches_nothing_and_has_no_key(world):
    match = PartnerMatcher().match("Атлантида", "Посейдония")
    assert (match.country, match.partners, match.key) == (None, [], "")


def test_the_key_names_a_partner_matched_or_not(world):
    matcher = PartnerMatcher()
    assert matcher.match("Вьетнам", "г. Хошимин").key == partner_key(world["vn"], "Хошимин") == "VN/хошимин"
    assert matcher.match("Вьетнам", "г. Дананг").key == "VN/дананг"


def test_matching_reads_the_database_once_then_never(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        matcher = PartnerMatcher()
    with django_assert_num_queries(0):
        matcher.match("Казахстан", "Нур-Султан")
        matcher.match("Минск", "")


def test_the_seed_resolves_references_through_the_matcher(world):
    matcher = PartnerMatcher()
    assert seed_partner(matcher, "Казахстан / Нур-Султан") == world["astana"]
    assert seed_partner(matcher, "Белоруссия / ") == world["belarus"]
    with pytest.raises(SeedError, match="unknown country"):
        seed_partner(matcher, "Атлантида / Посейдония")
    with pytest.raises(SeedError, match="no partner"):
        seed_partner(matcher, "Казахстан / Алматы")


def test_the_seed_refuses_a_reference_that_matches_two_partners(world):
    make_partner(country=world["kz"], name_ru="Нур-Султан")
    with pytest.raises(SeedError, match="several partners"):
        seed_partner(PartnerMatcher(), "Казахстан / Нур-Султан")
