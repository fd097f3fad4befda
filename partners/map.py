"""The map of partners, drawn on the server as SVG: no tiles, no CDN, no JavaScript.

The world outline (``static/map/world.svg``, built once by ``manage.py build_world_map``)
and the markers share one coordinate system: the Miller cylindrical projection scaled
so that longitudes −180…180 span 0…``WIDTH`` and latitudes ``NORTH``…``SOUTH`` span
0…``HEIGHT``. Antarctica lies below ``SOUTH`` and is left out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language, gettext

from core.i18n import text_in_language

WIDTH = 1000.0
NORTH = 84.0
SOUTH = -58.0
SPB_LATITUDE = 59.9375
SPB_LONGITUDE = 30.3086

_SCALE = WIDTH / (2 * math.pi)


def _miller(latitude: float) -> float:
    return 1.25 * math.log(math.tan(math.pi / 4 + 0.4 * math.radians(latitude)))


_TOP = _miller(NORTH)
HEIGHT = round((_TOP - _miller(SOUTH)) * _SCALE, 1)


def project_exact(latitude: float, longitude: float) -> tuple[float, float]:
    """The projection itself, unrounded; longitudes beyond ±180 fall beyond the map's edges."""
    latitude = min(max(latitude, SOUTH), NORTH)
    return (longitude + 180.0) / 360.0 * WIDTH, (_TOP - _miller(latitude)) * _SCALE


def project(latitude: float | Decimal, longitude: float | Decimal) -> tuple[float, float]:
    """Latitude/longitude in degrees → (x, y) in the outline's SVG units, y growing southwards."""
    x, y = project_exact(float(latitude), min(max(float(longitude), -180.0), 180.0))
    return round(x, 1), round(y, 1)


SPB = project(SPB_LATITUDE, SPB_LONGITUDE)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    lang: str = ""  # the label's language where a fallback shows it in another than the page's
    url: str = ""
    line: str = ""  # SVG path data from St Petersburg to this point
    anchor: str = "start"  # where a visible label sits: right ("start") or left ("end") of the point


@dataclass
class PartnerMap:
    view_box: str
    markers: list[Marker]
    spb: Marker
    unplaced: list = field(default_factory=list)
    radius: float = 3.0
    small: bool = False

    @property
    def label_gap(self) -> float:
        return round(self.radius * 1.8, 2)

    @property
    def font_size(self) -> float:
        return round(self.radius * 3.6, 2)

    @property
    def world(self) -> dict[str, float]:
        return {"width": WIDTH, "height": HEIGHT}


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_from_spb(x: float, y: float) -> str:
    """A gentle arc from St Petersburg to (x, y), bowing towards the pole as great circles do here."""
    sx, sy = SPB
    dx, dy = x - sx, y - sy
    length = math.hypot(dx, dy)
    if length < 0.5:
        return ""
    # Normal of the chord pointing up the map (north); bend by a sixth of the chord's length.
    nx, ny = -dy / length, dx / length
    if ny > 0:
        nx, ny = -nx, -ny
    bend = length / 6
    cx = (sx + x) / 2 + nx * bend
    cy = max((sy + y) / 2 + ny * bend, 0.0)
    return f"M{_fmt(sx)} {_fmt(sy)}Q{_fmt(cx)} {_fmt(cy)} {_fmt(x)} {_fmt(y)}"


def _spread(points: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Points that coincide (within ``gap``) are fanned out in a small ring so none hides another."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, (x, y) in enumerate(points):
        groups[(round(x / gap), round(y / gap))].append(index)
    spread = list(points)
    for members in groups.values():
        if len(members) < 2:
            continue
        ring = gap * max(1.0, len(members) / (2 * math.pi))
        for k, index in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            x, y = points[index]
            spread[index] = (round(x + ring * math.cos(angle), 1), round(y + ring * math.sin(angle), 1))
    return spread


def has_coordinates(partner) -> bool:
    return partner.latitude is not None and partner.longitude is not None


def _spb_marker(anchor: str = "start") -> Marker:
    return Marker(*SPB, label=gettext("St Petersburg"), anchor=anchor)


def _markers(partners, radius: float, away_from_spb: bool = False) -> tuple[list[Marker], list]:
    placed, unplaced = [], []
    for partner in partners:
        (placed if has_coordinates(partner) else unplaced).append(partner)
    points = _spread([project(p.latitude, p.longitude) for p in placed], gap=radius * 2)
    page_language = (get_language() or "ru").split("-")[0]
    markers = []
    for partner, (x, y) in zip(placed, points, strict=True):
        label, language = text_in_language(partner, "name")
        lang = "" if language == page_language else language
        anchor = "end" if away_from_spb and x < SPB[0] - radius else "start"
        markers.append(Marker(x, y, label, lang, partner.get_absolute_url(), line_from_spb(x, y), anchor))
    return markers, unplaced


def world_map(partners) -> PartnerMap:
    """Every partner on the whole map; those without coordinates are returned in ``unplaced``."""
    markers, unplaced = _markers(partners, radius=3.0)
    return PartnerMap(
        view_box=f"0 0 {_fmt(WIDTH)} {_fmt(HEIGHT)}", markers=markers, spb=_spb_marker(), unplaced=unplaced
    )


def region_map(partner, *, min_width: float = 120.0, aspect: float = 2.0) -> PartnerMap | None:
    """A small map of St Petersburg and one partner, zoomed on the region holding both."""
    if not has_coordinates(partner):
        return None
    x, y = project(partner.latitude, partner.longitude)
    sx, sy = SPB
    left, right, top, bottom = min(x, sx), max(x, sx), min(y, sy), max(y, sy)
    # Room around both points for their labels, then the box widened to the map's aspect.
    pad = max(right - left, bottom - top) * 0.3 + 20
    width = min(max(right - left + 2 * pad, (bottom - top + 2 * pad) * aspect, min_width), WIDTH)
    height = min(width / aspect, HEIGHT)
    width = height * aspect
    cx, cy = (left + right) / 2, (top + bottom) / 2
    x0 = min(max(cx - width / 2, 0.0), WIDTH - width)
    y0 = min(max(cy - height / 2, 0.0), HEIGHT - height)
    radius = round(width / 160, 2)
    # Labels point away from each other: the westerly point's to the left, the other's to the right.
    markers, _unplaced = _markers([partner], radius=radius, away_from_spb=True)
    return PartnerMap(
        view_box=f"{_fmt(x0)} {_fmt(y0)} {_fmt(width)} {_fmt(height)}",
        markers=markers,
        spb=_spb_marker("end" if x > sx + radius else "start"),
        radius=radius,
        small=True,
    )
