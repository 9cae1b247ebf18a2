"""Country shapes read from world-atlas's countries-50m.json: centroids, bounds, a regional subset.

The portal's maps show Mexico, Central America and the Caribbean. The whole 50m topology is
756 KB (236 KB gzipped) where the region needs 80 KB of it (25 KB gzipped), so the maps carry a
subset cut here: the countries with any polygon near the region, without their far polygons
(Alaska, Hawaii, ...), and only the arcs those use. Flow maps draw lines between countries'
centroids, computed here from the same shapes. Everything is computed once per process.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pycountry
from django.contrib.staticfiles import finders

TOPOLOGY_STATIC = "vendor/world-atlas/countries-50m.json"
Ring = list[tuple[float, float]]
Box = tuple[float, float, float, float]  # west, south, east, north in degrees

# Mexico to Suriname and Barbados: the part of the world every regional map shows.
REGION_BOX: Box = (-118.5, 1.5, -53.0, 33.0)
# Polygons reaching this far around the region are kept as context (the United States' south,
# Colombia, Venezuela, ...); the rest of the world is left out of the subset.
CONTEXT_BOX: Box = (-125.0, -8.0, -45.0, 40.0)


@cache
def _topology() -> dict[str, Any]:
    path = finders.find(TOPOLOGY_STATIC)
    if path is None:
        raise FileNotFoundError(TOPOLOGY_STATIC)
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _arcs() -> list[Ring]:
    """Every arc as absolute longitude/latitude points (the file stores quantized deltas)."""
    topology = _topology()
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int]) -> Ring:
    arcs = _arcs()
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def m49(iso3: str) -> str | None:
    """The ISO 3166 numeric code world-atlas names a country by ("320" for GTM)."""
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None


@cache
def _geometries() -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in _topology()["objects"]["countries"]["geometries"] if g.get("id")}


def _box(ring: Ring) -> Box:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _area_and_centre(ring: Ring) -> tuple[float, float, float]:
    """Planar (degree) area and centroid of a ring: enough to place a line's end or a dot."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


@cache
def centroid(iso3: str) -> tuple[float, float] | None:
    """(longitude, latitude) of the centre of the country's largest polygon; None if unmapped."""
    code = m49(iso3)
    geometry = _geometries().get(code) if code else None
    if geometry is None:
        return None
    best = max(
        (_area_and_centre(_ring(polygon[0])) for polygon in _polygons(geometry)),
        default=None,
    )
    return None if best is None else (round(best[1], 3), round(best[2], 3))


@cache
def land_area(iso3: str) -> float:
    """The country's area in square degrees (0 when unmapped): tells small islands apart."""
    code = m49(iso3)
    geometry = _geometries().get(code) if code else None
    if geometry is None:
        return 0.0
    return sum(_area_and_centre(_ring(polygon[0]))[0] for polygon in _polygons(geometry))


@cache
def regional_topology() -> dict[str, Any]:
    """The subset of countries-50m.json around the region, as a TopoJSON topology.

    Arc coordinates stay quantized and delta-encoded exactly as in the file; only the arcs the
    kept polygons use are kept, renumbered.
    """
    topology = _topology()
    kept_geometries = []
    used: dict[int, int] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [p for p in _polygons(geometry) if _overlaps(_box(_ring(p[0])), CONTEXT_BOX)]
        if not polygons:
            continue
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    used.setdefault(index if index >= 0 else ~index, len(used))
        kept_geometries.append((geometry, polygons))

    def renumber(index: int) -> int:
        return used[index] if index >= 0 else ~used[~index]

    geometries = []
    for geometry, polygons in kept_geometries:
        arcs = [[[renumber(i) for i in ring] for ring in polygon] for polygon in polygons]
        geometries.append(
            {
                "type": "MultiPolygon",
                "arcs": arcs,
                "id": geometry["id"],
                "properties": geometry.get("properties", {}),
            }
        )
    arcs = [None] * len(used)
    for old, new in used.items():
        arcs[new] = topology["arcs"][old]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


@cache
def regional_topology_json() -> str:
    """The subset as compact JSON text (its size is what a page carries)."""
    return json.dumps(regional_topology(), separators=(",", ":"))
