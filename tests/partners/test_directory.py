import datetime

import pytest
from django.utils import timezone

from partners.models import Partner, PartnerStatus
from tests.factories import (
    make_agreement,
    make_country,
    make_event,
    make_milestone,
    make_partner,
    make_region,
    make_society,
    make_status,
)


@pytest.fixture
def world(db):
    europe = make_region(code="europe", name_ru="Европа", name_en="Europe", name_vi="Châu Âu", position=0)
    asia = make_region(code="asia", name_ru="Азия", name_en="Asia", name_vi="Châu Á", position=1)
    hungary = make_country(code="HU", region=europe, name_ru="Венгрия", name_en="Hungary", name_vi="Hungary")
    vietnam = make_country(code="VN", region=asia, name_ru="Вьетнам", name_en="Vietnam", name_vi="Việt Nam")
    budapest = make_partner(
        country=hungary, name_ru="Будапешт", name_en="Budapest", name_vi="Budapest", ties_since="2015-12-16"
    )
    hcmc = make_partner(
        country=vietnam,
        name_ru="Хошимин",
        name_en="Ho Chi Minh City",
        name_vi="Thành phố Hồ Chí Minh",
        ties_since="2005",
    )
    khanh_hoa = make_partner(
        country=vietnam,
        kind=Partner.Kind.REGION,
        name_ru="Кханьхоа",
        name_en="Khanh Hoa",
        name_vi="Khánh Hòa",
        ties_since="1974",
    )
    make_event(partners=[hcmc], start="2024-05-17", end="2024-05-22", report_year=2024)
    make_event(partners=[khanh_hoa], start="2020-08-24", report_year=2020)
    return {"hungary": hungary, "vietnam": vietnam, "budapest": budapest, "hcmc": hcmc, "khanh_hoa": khanh_hoa}


def test_directory_groups_by_region_then_country(client, world):
    html = client.get("/en/partners/").text
    html = html[html.index('class="results"') :]  # after the filter form's options
    assert html.index(">Europe<") < html.index(">Hungary<") < html.index(">Budapest<") < html.index(">Asia<")
    assert html.index(">Vietnam<") < html.index(">Ho Chi Minh City<")
    assert "3 partners" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("region=asia", ["Khanh Hoa", "Ho Chi Minh City"], ["Budapest"]),
        ("country=HU", ["Budapest"], ["Khanh Hoa"]),
        ("kind=region", ["Khanh Hoa"], ["Budapest", "Ho Chi Minh City"]),
        ("ties_from=2000", ["Budapest", "Ho Chi Minh City"], ["Khanh Hoa"]),
        ("ties_to=2005", ["Khanh Hoa", "Ho Chi Minh City"], ["Budapest"]),
        ("region=asia&ties_from=2000&ties_to=2010", ["Ho Chi Minh City"], ["Budapest", "Khanh Hoa"]),
        ("region=asia&kind=city", ["Ho Chi Minh City"], ["Khanh Hoa", "Budapest"]),
    ],
)
def test_filters_and_their_combinations(client, world, query, shown, hidden):
    html = client.get(f"/en/partners/?{query}").text
    for name in shown:
        assert f">{name}<" in html
    for name in hidden:
        assert f">{name}<" not in html


def test_status_filter_uses_the_latest_sourced_status(client, world):
    make_status(world["budapest"], PartnerStatus.Status.SUSPENDED, "2022-03")
    html = client.get("/en/partners/?status=suspended").text
    assert ">Budapest<" in html
    assert ">Khanh Hoa<" not in html
    make_status(world["budapest"], PartnerStatus.Status.RESTORED, "2024", source_ru="")  # unsourced: says nothing
    assert ">Budapest<" in client.get("/en/partners/?status=suspended").text
    make_status(world["budapest"], PartnerStatus.Status.RESTORED, "2024")
    assert ">Budapest<" not in client.get("/en/partners/?status=suspended").text
    assert ">Budapest<" in client.get("/en/partners/?status=restored").text


def test_no_partner_is_active_without_a_sourced_entry(client, world):
    make_status(world["hcmc"], PartnerStatus.Status.ACTIVE, "2005-12-09", source_ru="")
    html = client.get("/en/partners/?status=active").text
    assert "0 partners" in html
    assert ">Ho Chi Minh City<" not in html.split('class="results"')[1]


@pytest.mark.parametrize(
    "query",
    [
        "region=mars",
        "country=XX",
        "kind=planet",
        "ties_from=abc",
        "ties_to=99999999999999",
        "status=%00",
        "page=99999",
        "region=asia&region=europe",
        "q=" + "x" * 5000,
    ],
)
def test_odd_filter_values_never_fail(client, world, query):
    response = client.get(f"/en/partners/?{query}")
    assert response.status_code == 200


def test_bad_filter_value_is_reported_not_applied(client, world):
    html = client.get("/en/partners/?region=mars").text
    assert "Some filter values were not understood" in html
    assert ">Budapest<" in html


def test_the_filter_form_is_kept_per_selection_and_language_and_lists_a_new_country_at_once(client, world):
    form = "partners/includes/filter_form.html"
    first = client.get("/en/partners/?region=asia")
    assert form in [template.name for template in first.templates]
    again = client.get("/en/partners/?region=asia&page=1")
    assert form not in [template.name for template in again.templates]
    assert '<option value="asia" selected>Asia</option>' in again.text
    assert form in [template.name for template in client.get("/vi/partners/?region=asia").templates]
    bad = client.get("/en/partners/?region=mars")  # another selection, with its error
    assert "Some filter values were not understood" in bad.text
    make_partner(country=make_country(code="FI", region=world["hungary"].region, name_en="Finland"))
    html = client.get("/en/partners/?region=asia").text
    assert '<option value="FI">Finland</option>' in html and '<option value="VN">Vietnam</option>' in html


def test_dormancy_is_derived_from_the_latest_activity(client, world):
    html = client.get("/en/partners/").text

    def card(name):
        start = html.rindex("<li", 0, html.index(f">{name}<"))
        return html[start : html.index("</li>", start)]

    khanh_hoa_card, hcmc_card = card("Khanh Hoa"), card("Ho Chi Minh City")
    assert "last activity 2020" in khanh_hoa_card
    assert "dormant" in khanh_hoa_card  # nothing since 2020, the newest report is 2024
    assert "last activity 2024" in hcmc_card
    assert "dormant" not in hcmc_card
    assert "no activity recorded" in card("Budapest")


def test_round_anniversaries_respect_precision(world, monkeypatch):
    assert list(Partner.objects.round_anniversaries(2024)) == [world["khanh_hoa"]]  # 1974: 50 years, no day
    assert Partner.objects.round_anniversaries(2024).get().ties_age == 50
    assert set(Partner.objects.round_anniversaries(2025)) == {world["hcmc"], world["budapest"]}  # 20 and 10 years
    assert (
        not Partner.objects.round_anniversaries(2005).filter(pk=world["hcmc"].pk).exists()
    )  # 0 years is no anniversary


def test_home_shows_this_years_anniversaries(client, world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2024, 3, 1))
    html = client.get("/en/").text
    assert "Anniversaries of ties in 2024" in html
    assert "50 years" in html and "Khanh Hoa" in html
    assert "since 1974" in html


def test_partner_page_shows_agreements_events_by_year_societies_and_siblings(client, world):
    partner = world["hcmc"]
    agreement = make_agreement(partner, title_en="Partnership agreement with Ho Chi Minh City")
    make_milestone(agreement, "2005-12-09", label_en="signed")
    make_event(partners=[partner], start="2020-01-30", title_en="Round table on 70 years of relations")
    make_society(countries=[world["vietnam"]], name_en="Russia–Vietnam Friendship Society")
    html = client.get(f"/en/partners/{partner.slug}/").text
    assert "Partnership agreement with Ho Chi Minh City" in html
    assert "9 December 2005" in html
    assert html.index("<h3>2024</h3>") < html.index("<h3>2020</h3>")
    assert "Russia–Vietnam Friendship Society" in html
    assert ">Khanh Hoa<" in html  # another partner in the same country
    assert 'hreflang="vi"' in html


def test_unknown_partner_and_unpublished_partner_are_404(client, world):
    assert client.get("/en/partners/no-such-city/").status_code == 404
    Partner.objects.filter(pk=world["budapest"].pk).update(is_published=False)
    assert client.get(f"/en/partners/{world['budapest'].slug}/").status_code == 404
    assert ">Budapest<" not in client.get("/en/partners/").text


def test_country_page_lists_its_partners(client, world):
    html = client.get(f"/vi/partners/countries/{world['vietnam'].slug}/").text
    assert "Thành phố Hồ Chí Minh" in html and "Khánh Hòa" in html and "Budapest" not in html


def _populate(n):
    country = make_country()
    for i in range(n):
        partner = make_partner(country=country, ties_since="2001")
        agreement = make_agreement(partner)
        make_milestone(agreement, "2001-05")
        make_event(partners=[partner], start=f"20{10 + i % 15}-03-0{1 + i % 9}", report_year=2024)
        make_society(countries=[country])
    return country


@pytest.mark.parametrize("n", [1, 10, 50])
def test_directory_query_count_does_not_grow(client, db, django_assert_max_num_queries, n):
    _populate(n)
    with django_assert_max_num_queries(7):  # the menu and the footer's contacts: once per content version
        assert client.get("/ru/partners/").status_code == 200
    with django_assert_max_num_queries(2):  # the count and the partners; their cards and the filter form are kept
        assert client.get("/ru/partners/").status_code == 200


@pytest.mark.parametrize("n", [1, 10, 50])
def test_partner_page_query_count_does_not_grow(client, db, django_assert_max_num_queries, n):
    country = _populate(n)
    partner = make_partner(country=country)
    for i in range(n):
        agreement = make_agreement(partner)
        for _ in range(2):
            make_milestone(agreement, f"{1990 + i}")
        make_event(partners=[partner], start=f"20{10 + i % 15}-01-01")
        make_status(partner, PartnerStatus.Status.ACTIVE, f"{1990 + i}")
    with django_assert_max_num_queries(10):
        response = client.get(f"/ru/partners/{partner.slug}/")
    assert 'class="glance-chart__svg"' in response.text  # the chart costs no query of its own


@pytest.mark.parametrize("n", [1, 10, 50])
def test_country_page_query_count_does_not_grow(client, db, django_assert_max_num_queries, n):
    country = _populate(n)
    with django_assert_max_num_queries(6):
        assert client.get(f"/ru/partners/countries/{country.slug}/").status_code == 200


def test_directory_is_paginated_and_keeps_the_filters(client, db, settings):
    country = make_country(code="FI")
    for i in range(160):
        make_partner(country=country, name_en=f"Town {i:03d}")
    first = client.get("/en/partners/?country=FI").text
    assert "160 partners" in first
    assert 'href="?country=FI&amp;page=2"' in first
    last = client.get("/en/partners/?country=FI&page=99999")
    assert last.status_code == 200
    assert last.text.count('<li class="partner-card') == 10


def test_partner_page_names_a_dozen_partners_and_societies_of_the_country_and_links_to_it(client, db):
    country = make_country(code="FI")
    partner = make_partner(country=country, ties_since="1950")
    for i in range(14):
        make_partner(country=country, name_en=f"Town {i:02d}", ties_since=f"{1960 + i}")
        make_society(countries=[country], name_en=f"Society {i:02d}")
    html = client.get(f"/en/partners/{partner.slug}/").text
    country_link = f'<a href="/en/partners/countries/{country.slug}/">'

    def section(name):
        return html[html.index(f'id="{name}"') : html.index("</section>", html.index(f'id="{name}"'))]

    assert section("siblings").count("<li>") == section("societies").count("<li>") == 12
    assert ">Town 00<" in section("siblings") and ">Town 12<" not in section("siblings")
    assert ">Society 00<" in section("societies") and ">Society 12<" not in section("societies")
    assert f"{country_link}All partners in this country</a>" in section("siblings")
    assert f"{country_link}All societies working with this country</a>" in section("societies")
    few = make_partner(country=make_country(code="NO"))
    assert "All partners in this country" not in client.get(f"/en/partners/{few.slug}/").text


def test_partner_page_reads_only_its_own_records_once_the_country_s_neighbours_are_known(
    client, db, django_assert_max_num_queries
):
    country = make_country(code="FI")
    partner = make_partner(country=country, ties_since="1950")
    make_partner(country=country, name_en="Town A", ties_since="1960")
    client.get(f"/en/partners/{partner.slug}/")  # the values shared by pages (the menu, the neighbours)
    with django_assert_max_num_queries(5):  # the partner, its agreements, their steps, its statuses, its events
        assert client.get(f"/en/partners/{partner.slug}/").status_code == 200
    # The neighbours are kept, but a new partner or society of the country shows at once.
    make_partner(country=country, name_en="Town B", ties_since="1970")
    make_society(countries=[country], name_en="Finnish Society")
    html = client.get(f"/en/partners/{partner.slug}/").text
    assert ">Town A<" in html and ">Town B<" in html and ">Finnish Society<" in html
    town = Partner.objects.get(name_en="Town A")
    town.is_published = False
    town.save()
    assert ">Town A<" not in client.get(f"/en/partners/{partner.slug}/").text
