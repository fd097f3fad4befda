"""The map of partners, drawn on the server as SVG: no tiles, no CDN, no JavaScript.

The world outline (``static/map/world.svg``, built once by ``manage.py build_world_map``)
and the points share one coordinate system: the Miller cylindrical projection scaled
so that longitudes −180…180 span 0…``WIDTH`` and latitudes ``NORTH``…``SOUTH`` span
0…``HEIGHT``. Antarctica lies below ``SOUTH`` and is left out.

A map shows a box of that plane (``view_box``), always twice as wide as high. The outline
and the lines scale with the page; the markers and their labels are placed in percent of
the box and drawn in CSS pixels, so that a marker keeps a 24-pixel target and a label
its size at any width (templates/partners/includes/map.html).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


ASPECT = 2.0  # width / height of every map's box; the stylesheet gives the map the same ratio
TARGET_PX = 24  # a marker's target, in CSS pixels (WCAG 2.5.8)
DOT_PX = 4.5  # the radius of a marker's visible dot, in CSS pixels
NOMINAL_PX = 800  # about how wide a map is drawn on a desktop: spreads points that coincide there
NAMED_UP_TO = 30  # on a zoomed map of so many partners, the names that cover nothing show without hover
NAMED_FROM_PX = 640  # ... where the map is drawn at least so wide (the stylesheet's breakpoint for them)
NARROW_PX, LABEL_CHAR_PX = 320, 8.5  # a phone's map width, and about how wide a letter of a label is drawn


@dataclass(frozen=True)
class Box:
    """A part of the map's plane, in its units."""

    x: float
    y: float
    width: float
    height: float

    def __str__(self) -> str:
        return " ".join(_fmt(value) for value in (self.x, self.y, self.width, self.height))

    def percent(self, x: float, y: float) -> tuple[float, float]:
        """(x, y) in percent of the box's width and height, from its top left corner."""
        return round((x - self.x) / self.width * 100, 2), round((y - self.y) / self.height * 100, 2)


@dataclass(frozen=True)
class Marker:
    x: float  # in the plane's units
    y: float
    left: float  # percent of the map's width
    top: float  # percent of the map's height
    label: str
    lang: str = ""  # the label's language where a fallback shows it in another than the page's
    url: str = ""
    line: str = ""  # SVG path data from St Petersburg to this point, in the plane's units
    anchor: str = "start"  # where the label sits: right ("start") or left ("end") of the point
    named: bool = False  # the label shows without hover or focus (a zoomed map, where it covers nothing)


@dataclass
class PartnerMap:
    box: Box
    markers: list[Marker]
    spb: Marker
    unplaced: list = field(default_factory=list)
    small: bool = False
    framed: bool = False  # zoomed on the partners shown rather than the whole world
    target_radius: float = TARGET_PX / 2
    dot_radius: float = DOT_PX

    @property
    def view_box(self) -> str:
        return str(self.box)

    @property
    def label_gap(self) -> float:
        return self.dot_radius + 4

    @property
    def world(self) -> dict[str, float]:
        return {"width": WIDTH, "height": HEIGHT}

    # A world map has a marker per partner (64 at 1×, up to 150 a page): drawn here, their dozen
    # values each cost the template engine a fifth of the directory's time.

    def lines_svg(self) -> SafeString:
        """The lines from St Petersburg, as ``<path>`` elements."""
        return format_html_join("", '<path d="{}"/>', ((marker.line,) for marker in self.markers if marker.line))

    def markers_svg(self) -> SafeString:
        """The markers of a full map: each a link with its title, target, dot and label."""
        return format_html_join(
            "\n",
            '<a class="partner-map__marker" href="{url}"><title{lang}>{label}</title>'
            '<circle class="partner-map__target" cx="{left}%" cy="{top}%" r="{target}"/>'
            '<circle class="partner-map__dot" cx="{left}%" cy="{top}%" r="{dot}"/>'
            '<text class="partner-map__label{named}" x="{left}%" y="{top}%" dx="{dx}" dy="4"'
            ' text-anchor="{anchor}"{lang}>{label}</text></a>',
            (
                {
                    "url": marker.url,
                    "lang": format_html(' lang="{}"', marker.lang) if marker.lang else "",
                    "label": marker.label,
                    "left": marker.left,
                    "top": marker.top,
                    "target": self.target_radius,
                    "dot": self.dot_radius,
                    "named": " partner-map__label--named" if marker.named else "",
                    "dx": f"-{self.label_gap}" if marker.anchor == "end" else self.label_gap,
                    "anchor": marker.anchor,
                }
                for marker in self.markers
            ),
        )


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


def world_box() -> Box:
    """The whole map, widened a little at both sides to the maps' ratio."""
    width = round(HEIGHT * ASPECT, 1)
    return Box(round((WIDTH - width) / 2, 1), 0.0, width, HEIGHT)


def frame(
    points: list[tuple[float, float]], *, min_width: float = 120.0, room: float = 0.15, margin: float = 18.0
) -> Box:
    """The box around ``points`` at the maps' ratio and inside the world, with room around them for their
    labels: ``room`` (a share of their spread) plus ``margin`` (in the plane's units)."""
    if not points:
        return world_box()
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    pad = max(right - left, bottom - top) * room + margin
    width = max(right - left + 2 * pad, (bottom - top + 2 * pad) * ASPECT, min_width)
    world = world_box()
    width = min(width, world.width)
    height = width / ASPECT
    cx, cy = (left + right) / 2, (top + bottom) / 2
    x0 = min(max(cx - width / 2, world.x), world.x + world.width - width)
    y0 = min(max(cy - height / 2, 0.0), HEIGHT - height)
    return Box(round(x0, 1), round(y0, 1), round(width, 1), round(height, 1))


def label_anchor(left: float, label: str, prefer: str = "start") -> str:
    """Which side of its point a label goes: ``prefer``red ("start": right, "end": left), unless it would run off
    a map drawn ``NARROW_PX`` wide there while the other side has more room."""
    needed = (len(label) * LABEL_CHAR_PX + DOT_PX + 4) / NARROW_PX * 100
    room = {"start": 100 - left, "end": left}
    other = "end" if prefer == "start" else "start"
    return other if room[prefer] < needed and room[other] > room[prefer] else prefer


def _spb_marker(box: Box, prefer: str = "start") -> Marker:
    left, top = box.percent(*SPB)
    label = gettext("St Petersburg")
    return Marker(*SPB, left, top, label=label, anchor=label_anchor(left, label, prefer))


def _placed(partners) -> tuple[list, list]:
    placed, unplaced = [], []
    for partner in partners:
        (placed if has_coordinates(partner) else unplaced).append(partner)
    return placed, unplaced


def _markers(placed: list, points: list[tuple[float, float]], box: Box, anchors: list[str] | None = None):
    page_language = (get_language() or "ru").split("-")[0]
    markers = []
    for index, (partner, (x, y)) in enumerate(zip(placed, points, strict=True)):
        label, language = text_in_language(partner, "name")
        left, top = box.percent(x, y)
        anchor = label_anchor(left, label, anchors[index] if anchors else "start")
        lang = "" if language == page_language else language
        markers.append(Marker(x, y, left, top, label, lang, partner.get_absolute_url(), line_from_spb(x, y), anchor))
    return markers


Rect = tuple[float, float, float, float]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _named_where_room(markers: list[Marker], spb: Marker, width: float = NAMED_FROM_PX) -> tuple[list[Marker], Marker]:
    """``markers`` with ``named`` set where the label fits on a map ``width`` pixels wide, on either side of its
    point, covering no other label or point; the others are named on hover and focus only. St Petersburg's
    label, always shown, moves to its other side if that covers no point where the first did."""
    height = width / ASPECT

    def point(marker: Marker) -> tuple[float, float]:
        return marker.left / 100 * width, marker.top / 100 * height

    def dot(marker: Marker) -> Rect:
        x, y = point(marker)
        return (x - DOT_PX, y - DOT_PX, x + DOT_PX, y + DOT_PX)

    def label(marker: Marker, anchor: str) -> Rect:
        x, y = point(marker)
        length, gap = len(marker.label) * LABEL_CHAR_PX, DOT_PX + 4
        start = x + gap if anchor == "start" else x - gap - length
        return (start, y - 8, start + length, y + 7)

    def fits(box: Rect, taken: list[Rect]) -> bool:
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
        return inside and not any(_overlap(box, other) for other in taken)

    dots = [dot(marker) for marker in [*markers, spb]]
    other_side = "end" if spb.anchor == "start" else "start"
    if not fits(label(spb, spb.anchor), dots) and fits(label(spb, other_side), dots):
        spb = replace(spb, anchor=other_side)
    taken = [*dots, label(spb, spb.anchor)]
    named = []
    for marker in markers:
        for anchor in (marker.anchor, "end" if marker.anchor == "start" else "start"):
            box = label(marker, anchor)
            if fits(box, taken):
                taken.append(box)
                marker = replace(marker, anchor=anchor, named=True)
                break
        named.append(marker)
    return named, spb


def world_map(partners, *, framed: bool = False) -> PartnerMap:
    """The partners on the map; ``framed``, zoomed on them (a filtered directory), else the whole world.

    Those without coordinates are returned in ``unplaced``.
    """
    placed, unplaced = _placed(partners)
    exact = [project(p.latitude, p.longitude) for p in placed]
    box = frame(exact, min_width=160.0) if framed and exact else world_box()
    points = _spread(exact, gap=box.width / NOMINAL_PX * (DOT_PX * 2 + 2))
    markers, spb = _markers(placed, points, box), _spb_marker(box)
    framed = framed and bool(exact)
    if framed and len(markers) <= NAMED_UP_TO:
        markers, spb = _named_where_room(markers, spb)
    return PartnerMap(box=box, markers=markers, spb=spb, unplaced=unplaced, framed=framed)


def region_map(partner, *, min_width: float = 120.0) -> PartnerMap | None:
    """A small map of St Petersburg and one partner, zoomed on the region holding both."""
    if not has_coordinates(partner):
        return None
    point = project(partner.latitude, partner.longitude)
    box = frame([point, SPB], min_width=min_width, room=0.3, margin=24.0)
    # Labels point away from each other (the westerly point's to the left) where the map has room for them.
    west = point[0] < SPB[0]
    markers = _markers([partner], [point], box, anchors=["end" if west else "start"])
    return PartnerMap(box=box, markers=markers, spb=_spb_marker(box, "start" if west else "end"), small=True)
