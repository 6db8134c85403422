"""The bundled world map: country outlines from ``static/geo/countries-110m.json``
(world-atlas 2.0.2 TopoJSON, ISC licence, made from Natural Earth 1:110m, public domain),
drawn as SVG paths in an equirectangular projection. No tiles, no network: the paths are
computed once per process from the bundled file, and places are plotted by lat/lon."""
from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any, Iterable
from urllib.parse import urlencode

from markupsafe import Markup

WIDTH = 960.0
SCALE = WIDTH / 360.0
TOP_LAT, BOTTOM_LAT = 84.0, -58.0  # crop the poles


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * SCALE, (90.0 - lat) * SCALE


def view_box() -> tuple[float, float, float, float]:
    y0 = project(0, TOP_LAT)[1]
    y1 = project(0, BOTTOM_LAT)[1]
    return 0.0, y0, WIDTH, y1 - y0


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale = topo.get("transform", {}).get("scale", [1, 1])
    translate = topo.get("transform", {}).get("translate", [0, 0])
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: Iterable[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _path(ring: list[tuple[float, float]]) -> str:
    """SVG path data of a ring; a ring that crosses the antimeridian is unwrapped (its
    far side runs past the map's edge and is clipped) instead of striping the map."""
    out = []
    last = None
    offset = 0.0
    prev = None
    for lon, lat in ring:
        if prev is not None and abs(lon - prev) > 180:
            offset += 360.0 if lon < prev else -360.0
        prev = lon
        x, y = project(lon + offset, lat)
        xy = f"{x:.1f} {y:.1f}"
        if xy != last:
            out.append(xy)
            last = xy
    return "M" + "L".join(out) + "Z" if len(out) > 2 else ""


@functools.lru_cache(maxsize=1)
def load_country_paths() -> tuple[tuple[str, str], ...]:
    """``(english name, SVG path data)`` per country."""
    raw = (resources.files("rasid.web") / "static" / "geo" / "countries-110m.json").read_text(encoding="utf-8")
    topo = json.loads(raw)
    arcs = _decode_arcs(topo)
    out = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polygons = geom.get("arcs") or []
        if geom.get("type") == "Polygon":
            polygons = [polygons]
        d = "".join(_path(_ring(arcs, ring)) for polygon in polygons for ring in polygon)
        if d:
            out.append(((geom.get("properties") or {}).get("name", ""), d))
    return tuple(out)


def render_map(places: list[dict[str, Any]], link: bool = True, css_class: str = "map") -> Markup:
    """An SVG world map with a circle per place (area by mentions)."""
    x0, y0, w, h = view_box()
    parts = [Markup('<svg class="{}" viewBox="{:.0f} {:.0f} {:.0f} {:.0f}" role="img" aria-label="{}">').format(
        css_class, x0, y0, w, h, "خريطة الأماكن")]
    parts.append(Markup('<rect class="sea" x="{:.0f}" y="{:.0f}" width="{:.0f}" height="{:.0f}"></rect>').format(
        x0, y0, w, h))
    for lon in range(-150, 181, 30):  # graticule
        x, _ = project(lon, 0)
        parts.append(Markup('<line class="grid" x1="{:.1f}" y1="{:.0f}" x2="{:.1f}" y2="{:.0f}"></line>').format(
            x, y0, x, y0 + h))
    for lat in range(-30, 90, 30):
        _, y = project(0, lat)
        parts.append(Markup('<line class="grid" x1="0" y1="{:.1f}" x2="{:.0f}" y2="{:.1f}"></line>').format(y, w, y))
    for name, d in load_country_paths():
        parts.append(Markup('<path class="land" d="{}"><title>{}</title></path>').format(d, name))
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    top = max((int(p.get("mentions") or p.get("articles") or 1) for p in located), default=1)
    for p in sorted(located, key=lambda p: -(p.get("mentions") or 0)):
        x, y = project(float(p["lon"]), float(p["lat"]))
        r = 3 + 9 * math.sqrt((p.get("mentions") or p.get("articles") or 1) / top)
        label = f"{p.get('name') or ''} — {p.get('name_en') or ''}: {p.get('mentions') or p.get('articles') or ''}"
        circle = Markup('<circle class="place-dot" cx="{:.1f}" cy="{:.1f}" r="{:.1f}"><title>{}</title></circle>').format(
            x, y, r, label)
        if link and p.get("name"):
            href = "/?" + urlencode({"q": p["name"]})
            circle = Markup('<a href="{}">{}</a>').format(href, circle)
        parts.append(circle)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
