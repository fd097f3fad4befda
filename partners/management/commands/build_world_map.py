"""Build ``static/map/world.svg`` from Natural Earth's 1:110m land (the npm package ``world-atlas``).

Run once, by a maintainer, whenever the projection in ``partners/map.py`` changes:

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python manage.py build_world_map /tmp/package/land-110m.json

The TopoJSON is decoded here (quantised, delta-encoded arcs), projected with
``partners.map.project``, simplified (Douglas–Peucker), rounded to 0.1 unit and written
as one ``<path id="land">`` with relative commands, so the outline stays a few tens of KB.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.map import HEIGHT, SOUTH, WIDTH, project_exact

Point = tuple[float, float]

# The file is drawn as an <image> (it stays cacheable and works from a CDN on another origin),
# so page CSS cannot reach it: the land carries its own colour.
LAND_COLOUR = "#d5dccf"

NOTICE = (
    "World outline: Natural Earth 1:110m land (naturalearthdata.com), public domain, "
    "via the world-atlas package (ISC licence, (c) Michael Bostock). "
    "Built by partners/management/commands/build_world_map.py; Miller projection, Antarctica left out."
)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute (longitude, latitude) points of every arc of a quantised topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                (kx, ky), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * kx + tx, y * ky + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [polygon for child in geometry["geometries"] for polygon in polygons(child)]
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def unwrap(points: list[Point]) -> list[Point]:
    """Longitudes made continuous: a ring crossing the antimeridian runs on beyond ±180."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(ring: list[Point], edge: float, keep_left: bool) -> list[Point]:
    """Sutherland–Hodgman against the vertical line x = edge."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_left else point[0] >= edge

    out: list[Point] = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(current):
            out.append(current)
        if inside(current) != inside(following):
            (x1, y1), (x2, y2) = current, following
            out.append((edge, y1 + (y2 - y1) * (edge - x1) / (x2 - x1)))
    return out


def wrapped_copies(ring: list[Point]) -> list[list[Point]]:
    """The ring cut at the map's edges; what spills over one edge comes back at the other."""
    if min(x for x, _y in ring) >= 0 and max(x for x, _y in ring) <= WIDTH:
        return [ring]
    copies = []
    for shift in (-WIDTH, 0.0, WIDTH):
        piece = clip(clip([(x + shift, y) for x, y in ring], 0.0, keep_left=False), WIDTH, keep_left=True)
        if len(piece) >= 3:
            copies.append(piece)
    return copies


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative, on an open or closed polyline."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        worst, worst_index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            off_line = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else None
            distance = off_line if off_line is not None else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > worst:
                worst, worst_index = distance, i
        if worst_index is not None and worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(points: list[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def _number(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, fraction = divmod(abs(tenths), 10)
    if not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{fraction}"


def _join(numbers: list[str]) -> str:
    """Numbers separated only where SVG's path grammar needs it ("1.5.5" reads as 1.5 and .5)."""
    out, previous = "", ""
    for number in numbers:
        glued = number.startswith("-") or (number.startswith(".") and "." in previous)
        if out and not glued:
            out += " "
        out += number
        previous = number
    return out


def path_data(rings: list[list[Point]]) -> str:
    parts = []
    for ring in rings:
        tenths = [(round(x * 10), round(y * 10)) for x, y in ring]
        deduped = [tenths[0]]
        for point in tenths[1:]:
            if point != deduped[-1]:
                deduped.append(point)
        if deduped[-1] == deduped[0]:
            deduped.pop()
        if len(deduped) < 3:
            continue
        x0, y0 = deduped[0]
        deltas = []
        for (xa, ya), (xb, yb) in pairwise(deduped):
            deltas += [_number(xb - xa), _number(yb - ya)]
        parts.append(f"M{_join([_number(x0), _number(y0)])}l{_join(deltas)}z")
    return "".join(parts)


def build_svg(topology: dict, *, tolerance: float, min_area: float) -> tuple[str, int]:
    arcs = decode_arcs(topology)
    rings = []
    for obj in topology["objects"].values():
        for polygon in polygons(obj):
            for ring in polygon:
                points = ring_points(ring, arcs)
                if max(lat for _lon, lat in points) < SOUTH:
                    continue  # Antarctica and the islands around it
                projected = [project_exact(lat, lon) for lon, lat in unwrap(points)]
                if area(projected) < min_area:
                    continue
                simplified = simplify(projected, tolerance)
                if len(simplified) >= 4:
                    rings += wrapped_copies(simplified)
    d = path_data(rings)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">\n'
        f"<!-- {NOTICE} -->\n"
        f'<path id="land" fill="{LAND_COLOUR}" fill-rule="evenodd" d="{d}"/>\n'
        "</svg>\n"
    )
    return svg, len(rings)


class Command(BaseCommand):
    help = "Build static/map/world.svg from world-atlas's land-110m.json (Natural Earth, public domain)."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path, help="land-110m.json from the world-atlas npm package")
        parser.add_argument("--output", type=Path, default=Path(settings.BASE_DIR) / "static" / "map" / "world.svg")
        parser.add_argument("--tolerance", type=float, default=0.3, help="simplification, in SVG units")
        parser.add_argument("--min-area", type=float, default=0.5, help="drop islands smaller than this (units²)")

    def handle(self, *args, topojson: Path, output: Path, tolerance: float, min_area: float, **options):
        try:
            topology = json.loads(topojson.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {topojson}: {error}") from error
        svg, count = build_svg(topology, tolerance=tolerance, min_area=min_area)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(svg, encoding="utf-8")
        self.stdout.write(f"{output}: {count} rings, {len(svg.encode())} bytes")
