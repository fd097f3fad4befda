import itertools
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from partners.map import (
    DOT_PX,
    HEIGHT,
    NOMINAL_PX,
    SPB,
    WIDTH,
    frame,
    label_anchor,
    line_from_spb,
    project,
    region_map,
    world_box,
    world_map,
)
from tests.factories import make_country, make_partner

OUTLINE = Path(settings.BASE_DIR) / "static" / "map" / "world.svg"
HANOI = {"latitude": Decimal("21.0285"), "longitude": Decimal("105.8542")}
BUENOS_AIRES = {"latitude": Decimal("-34.6037"), "longitude": Decimal("-58.3816")}


def equator_y() -> float:
    return project(0, 0)[1]


# --- projection -------------------------------------------------------------------------


def test_longitude_maps_linearly_onto_the_width():
    assert project(0, -180)[0] == 0
    assert project(0, 180)[0] == WIDTH
    assert project(0, 0)[0] == WIDTH / 2
    assert SPB[0] == pytest.approx((30.3086 + 180) / 360 * WIDTH, abs=0.1)


def test_the_map_is_about_twice_as_wide_as_high_and_points_stay_inside():
    assert 1.8 < WIDTH / HEIGHT < 2.2
    for latitude, longitude in [(90, 180), (-90, -180), (84, 0), (-58, 0)]:
        x, y = project(latitude, longitude)
        assert 0 <= x <= WIDTH
        assert 0 <= y <= HEIGHT


def test_st_petersburg_hanoi_and_buenos_aires_fall_in_their_quadrants():
    spb_x, spb_y = SPB
    hanoi_x, hanoi_y = project(**HANOI)
    ba_x, ba_y = project(**BUENOS_AIRES)
    assert spb_x > WIDTH / 2 and spb_y < equator_y()  # north-east of (0°, 0°)
    assert hanoi_x > spb_x and spb_y < hanoi_y < equator_y()  # east and south of SPb, still north
    assert ba_x < WIDTH / 2 and ba_y > equator_y()  # south-west
    # Miller: latitudes are stretched polewards but symmetric about the equator.
    assert equator_y() - project(45, 0)[1] == pytest.approx(project(-45, 0)[1] - equator_y(), abs=0.2)
    assert (equator_y() - spb_y) / (equator_y() - hanoi_y) > 59.9375 / 21.0285


def test_the_line_runs_from_st_petersburg_to_the_partner():
    x, y = project(**HANOI)
    line = line_from_spb(x, y)
    assert line.startswith(f"M{SPB[0]:g} {SPB[1]:g}Q")
    assert line.endswith(f"{x:g} {y:g}")
    assert line_from_spb(*SPB) == ""


# --- marker data ------------------------------------------------------------------------


@pytest.mark.django_db
def test_markers_link_to_their_partners_and_carry_the_translated_name():
    hanoi = make_partner(name_ru="Ханой", name_en="Hanoi", name_vi="Hà Nội", **HANOI)
    with translation.override("vi"):
        (marker,) = world_map([hanoi]).markers
        assert marker.url == hanoi.get_absolute_url() == f"/vi/partners/{hanoi.slug}/"
    assert (marker.x, marker.y) == project(**HANOI)
    assert marker.label == "Hà Nội"
    assert marker.lang == ""


@pytest.mark.django_db
def test_a_name_shown_through_the_fallback_is_marked_with_its_language():
    partner = make_partner(name_ru="Кханьхоа", name_en="", name_vi="", latitude=12, longitude=109)
    with translation.override("en"):
        (marker,) = world_map([partner]).markers
    assert (marker.label, marker.lang) == ("Кханьхоа", "ru")


@pytest.mark.django_db
def test_a_partner_without_coordinates_is_left_off_the_map_and_listed_as_such():
    placed = make_partner(**HANOI)
    unplaced = make_partner(latitude=None, longitude=None)
    partners_map = world_map([placed, unplaced])
    assert [m.url for m in partners_map.markers] == [placed.get_absolute_url()]
    assert partners_map.unplaced == [unplaced]
    assert region_map(unplaced) is None


@pytest.mark.django_db
def test_partners_at_the_same_place_do_not_hide_each_other():
    country = make_country()
    partners = [make_partner(country=country, **HANOI) for _ in range(5)]
    points = [(m.x, m.y) for m in world_map(partners).markers]
    hanoi_x, hanoi_y = project(**HANOI)
    assert all(abs(x - hanoi_x) < 20 and abs(y - hanoi_y) < 20 for x, y in points)
    # On a map drawn 800 pixels wide, no dot (9 pixels across) covers another.
    apart = world_box().width / NOMINAL_PX * DOT_PX * 2
    assert min(math.dist(a, b) for a, b in itertools.combinations(points, 2)) >= apart


@pytest.mark.django_db
@pytest.mark.parametrize("place", [HANOI, BUENOS_AIRES, {"latitude": 60.17, "longitude": 24.94}])
def test_the_small_map_frames_st_petersburg_and_the_partner(place):
    partner = make_partner(**place)
    small = region_map(partner)
    x0, y0, width, height = map(float, small.view_box.split())
    world = world_box()
    assert x0 >= world.x and y0 >= 0 and x0 + width <= world.x + world.width + 0.1 and y0 + height <= HEIGHT + 0.1
    assert width == pytest.approx(2 * height, rel=0.01)
    for x, y in [SPB, project(**place)]:
        assert x0 < x < x0 + width and y0 < y < y0 + height
    assert small.small and len(small.markers) == 1


@pytest.mark.django_db
def test_the_small_map_zooms_in_on_a_neighbour():
    helsinki = make_partner(latitude=60.17, longitude=24.94)
    assert float(region_map(helsinki).view_box.split()[2]) < WIDTH / 4


# --- pages ------------------------------------------------------------------------------


def external_urls(html: str) -> list[str]:
    return [url for url in re.findall(r"https?://[^\s\"'<>]+", html) if not url.startswith("http://testserver/")]


@pytest.mark.django_db
def test_the_partner_list_shows_the_map_with_a_link_per_partner_and_nothing_external(client):
    hanoi = make_partner(name_en="Hanoi", **HANOI)
    buenos_aires = make_partner(name_en="Buenos Aires", **BUENOS_AIRES)
    belarus = make_partner(name_en="Belarus", latitude=None, longitude=None)
    response = client.get("/en/partners/")
    html = response.text
    assert response.status_code == 200
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert '<svg class="partner-map__svg" width="1000" height="500" role="group"' in figure
    # The whole world, widened a little to the maps' 2:1 ratio.
    assert '<svg class="partner-map__world" viewBox="-0.9 0 1001.8 500.9"' in figure
    # Keyboard users can pass the map's links and go on to the caption and the list.
    assert '<a class="partner-map__skip" href="#partners-map-caption">' in figure
    assert '<figcaption id="partners-map-caption">' in figure
    assert '<image class="partner-map__land" href="/static/map/world.svg" width="1000.0" height="500.9"/>' in figure
    assert f'<a class="partner-map__marker" href="{hanoi.get_absolute_url()}"><title>Hanoi</title>' in figure
    assert f'href="{buenos_aires.get_absolute_url()}"><title>Buenos Aires</title>' in figure
    # Each marker has a 24-pixel target (r="12", in the outer svg's CSS pixels) around its dot.
    assert figure.count('class="partner-map__target"') == 2 and 'r="12.0"' in figure
    assert figure.count("<path d=") == 2  # one line from St Petersburg per placed partner
    # Belarus has no point on the map; the caption says so and the list still names it.
    assert "<title>Belarus</title>" not in figure
    assert f'<a href="{belarus.get_absolute_url()}">Belarus</a>' in figure.split("<figcaption")[1]
    assert html.count(f'href="{belarus.get_absolute_url()}"') == 2
    assert external_urls(html) == []


@pytest.mark.django_db
def test_the_partner_page_shows_a_small_map_with_st_petersburg(client):
    hanoi = make_partner(name_en="Hanoi", **HANOI)
    html = client.get(f"/en/partners/{hanoi.slug}/").text
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert 'class="partner-map partner-map--small"' in figure
    assert 'role="img" aria-labelledby="partner-map-title"' in figure
    assert f'viewBox="{region_map(hanoi).view_box}"' in figure
    assert ">St Petersburg</text>" in figure and ">Hanoi</text>" in figure
    assert figure.count("<path d=") == 1
    assert external_urls(html) == []


@pytest.mark.django_db
def test_a_partner_page_without_coordinates_has_no_map(client):
    partner = make_partner(latitude=None, longitude=None)
    html = client.get(f"/en/partners/{partner.slug}/").text
    assert "partner-map" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10, 50])
def test_the_partner_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    country = make_country()
    for n in range(count):
        make_partner(country=country, latitude=10 + n, longitude=20 + n)
    make_partner(country=country, latitude=None, longitude=None)
    with django_assert_max_num_queries(7):  # the menu and the footer's contacts: once per content version
        response = client.get("/en/partners/")
    assert response.text.count('class="partner-map__marker"') == count


# --- the outline ------------------------------------------------------------------------


def test_the_world_outline_ships_with_the_static_files_within_budget():
    svg = OUTLINE.read_text(encoding="utf-8")
    assert OUTLINE.stat().st_size < 60_000
    assert f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}"' in svg
    assert '<path id="land"' in svg
    assert "Natural Earth" in svg and "public domain" in svg
    assert (OUTLINE.parent / "NOTICE").exists()


def test_the_outline_builder_decodes_arcs_and_cuts_rings_at_the_antimeridian(tmp_path):
    # Two quantised squares: one straddling the antimeridian (170°E → 190°E), one near (0°, 0°).
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [-180, -90]},
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [{"type": "MultiPolygon", "arcs": [[[0]], [[1]]]}],
            }
        },
        "arcs": [
            [[350, 140], [10, 0], [-350, 0], [0, 10], [350, 0], [-10, 0], [0, -10]],
            [[180, 90], [5, 0], [0, 5], [-5, 0], [0, -5]],
        ],
    }
    source = tmp_path / "land.json"
    source.write_text(json.dumps(topology))
    output = tmp_path / "world.svg"
    call_command("build_world_map", str(source), output=output)
    d = re.search(r'<path id="land" [^>]*\bd="([^"]+)"', output.read_text()).group(1)
    assert d.count("M") == 3  # the straddling square comes out as two pieces, one at each edge
    starts = [tuple(map(float, re.split(r"[ ,]|(?=-)", start.strip()))) for start in re.findall(r"M([^l]+)l", d)]
    assert any(x >= WIDTH - 30 for x, _y in starts) and any(x <= 30 for x, _y in starts)
    assert any(x == pytest.approx(WIDTH / 2, abs=0.2) for x, _y in starts)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("place", "partner_anchor", "spb_anchor"),
    # Helsinki lies west of St Petersburg: the labels point away from each other. Hanoi's map has St Petersburg
    # near its left edge: its label goes right, where a phone's map has room for it.
    [({"latitude": 60.17, "longitude": 24.94}, "end", "start"), (HANOI, "start", "start")],
)
def test_the_small_maps_labels_point_away_from_each_other_where_they_fit(place, partner_anchor, spb_anchor):
    small = region_map(make_partner(**place))
    assert (small.markers[0].anchor, small.spb.anchor) == (partner_anchor, spb_anchor)


@pytest.mark.parametrize(
    ("left", "prefer", "expected"),
    [(50, "start", "start"), (50, "end", "end"), (90, "start", "end"), (10, "end", "start"), (10, "start", "start")],
)
def test_a_label_goes_where_a_phones_map_has_room_for_it(left, prefer, expected):
    assert label_anchor(left, "Ho Chi Minh City", prefer) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_svg_numbers_are_not_localised(client, language):
    hanoi = make_partner(**HANOI)
    for url in ["/partners/", f"/partners/{hanoi.slug}/"]:
        html = client.get(f"/{language}{url}").text
        svg = html[html.index("<svg") : html.rindex("</svg>")]  # the chart, if any, and the map
        assert not re.search(r'(?:viewBox|[xy]|cx|cy|r|dx|dy|d|width|height|font-size)="[^"]*\d,\d', svg)
        assert re.search(r'cx="\d+\.\d+%"', svg)


# --- the map follows the filters ---------------------------------------------------------


@pytest.mark.parametrize("points", [[project(**HANOI)], [project(**HANOI), project(**BUENOS_AIRES)], [SPB]])
def test_a_frame_holds_its_points_at_the_maps_ratio_inside_the_world(points):
    box = frame(points)
    world = world_box()
    assert box.width == pytest.approx(2 * box.height, rel=0.01)
    assert box.width >= 120
    assert world.x <= box.x and box.x + box.width <= world.x + world.width + 0.1
    assert box.y >= 0 and box.y + box.height <= HEIGHT + 0.1
    for x, y in points:
        left, top = box.percent(x, y)
        assert 0 < left < 100 and 0 < top < 100


def marker_positions(figure: str) -> list[tuple[float, float]]:
    found = re.findall(r'class="partner-map__dot" cx="([\d.]+)%" cy="([\d.]+)%"', figure)
    return [(float(left), float(top)) for left, top in found]


@pytest.mark.django_db
def test_the_directory_map_zooms_on_the_filtered_partners(client):
    vietnam, finland = make_country(code="VN"), make_country(code="FI")
    make_partner(country=vietnam, name_en="Hanoi", **HANOI)
    make_partner(country=vietnam, name_en="Ho Chi Minh City", latitude=Decimal("10.7769"), longitude=Decimal("106.7"))
    make_partner(country=finland, name_en="Turku", latitude=Decimal("60.45"), longitude=Decimal("22.27"))

    def figure(query: str) -> str:
        html = client.get(f"/en/partners/?{query}").text
        return html[html.index("<figure") : html.index("</figure>")]

    whole = figure("")
    assert f'viewBox="{world_box()}"' in whole and "zoomed" not in whole
    assert "partner-map__label--named" not in whole  # names show on hover and focus only
    zoomed = figure("country=VN")
    width = float(re.search(r'class="partner-map__world" viewBox="[-\d.]+ [\d.]+ ([\d.]+)', zoomed).group(1))
    assert width < world_box().width / 4
    assert "The map is zoomed on the partners that match the filters." in zoomed
    # Zoomed on a few, the map names them where a name covers no other.
    assert zoomed.count("partner-map__label--named") == 2 and ">Hanoi</text>" in zoomed
    positions = marker_positions(zoomed)
    assert len(positions) == 2 and all(0 < left < 100 and 0 < top < 100 for left, top in positions)
    assert "Turku" not in zoomed
    # A value the form refuses is ignored: every partner, on the whole world.
    assert f'viewBox="{world_box()}"' in figure("country=XX")


@pytest.mark.django_db
def test_a_zoomed_map_names_only_the_partners_whose_names_cover_nothing():
    country = make_country()
    # Three places a few kilometres apart: side by side, their names would cover each other's.
    partners = [
        make_partner(country=country, name_en=name, latitude=Decimal("21.0"), longitude=Decimal(longitude))
        for name, longitude in [("Dien Bien Province", "103.0"), ("Hai Phong", "103.6"), ("Ha Long", "104.2")]
    ]
    partners.append(make_partner(country=country, name_en="Ho Chi Minh City", latitude=10.8, longitude=106.6))
    with translation.override("en"):
        zoomed = world_map(partners, framed=True)
    named = {marker.label: marker.anchor for marker in zoomed.markers if marker.named}
    assert "Ho Chi Minh City" in named
    assert 1 <= len(named.keys() & {"Dien Bien Province", "Hai Phong", "Ha Long"}) < 3
    assert not any(marker.named for marker in world_map(partners).markers)  # the whole world names none
