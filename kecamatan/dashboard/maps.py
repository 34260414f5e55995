"""The map of a region's children: their outlines (kecamatan/boundaries.py), or a tile grid
until there are. Drawn with plain Plotly shapes on x/y axes, so nothing (no base map, no tiles)
is fetched from the internet."""

import math
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

from ..progress.selectors import RegionProgress
from ..regions import region_url
from ..vocabulary import format_target
from .charts import base_layout, trace

# A sequential scale (ColorBrewer YlGnBu, safe for colour blindness) over the achievement of the
# regions actually on the map, in round steps, so that 3,4% and 6,4% do not share one colour;
# the darkest blue is kept for a region that reached its target.
PALETTE = [
    ("#ffffcc", "#1a1a1a"),
    ("#c7e9b4", "#1a1a1a"),
    ("#7fcdbb", "#1a1a1a"),
    ("#41b6c4", "#1a1a1a"),
    ("#225ea8", "#ffffff"),
]
REACHED = ("#081d58", "#ffffff")
NO_DATA = ("#e5e5e5", "#1a1a1a")
STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50]  # percentage points per class


@dataclass
class Band:
    low: float | None  # None: the "target reached" band
    high: float | None
    fill: str
    text: str


def colour_scale(children: list[dict], target) -> list[Band]:
    """Classes of equal, round width (1 point, 2,5 points…) from the lowest achievement on the
    map to the highest below the target, at most five; then "target reached"."""
    target = float(target) if target is not None else None
    values = [
        float(c["percent"])
        for c in children
        if c.get("percent") is not None and (target is None or float(c["percent"]) < target)
    ]
    bands = []
    if values:
        low, high = min(values), max(values)
        for step in STEPS:
            first, last = math.floor(low / step), math.floor(high / step)
            if last - first + 1 <= len(PALETTE):
                break
        count = last - first + 1
        # Spread few classes over the whole palette, so neighbours still differ clearly.
        shades = [PALETTE[round(i * (len(PALETTE) - 1) / max(count - 1, 1))] for i in range(count)]
        for i, (fill, text) in enumerate(shades):
            band_low, band_high = round((first + i) * step, 4), round((first + i + 1) * step, 4)
            if target is not None:
                band_high = min(band_high, target)
            bands.append(Band(low=band_low, high=band_high, fill=fill, text=text))
    if target is not None:
        bands.append(Band(low=None, high=None, fill=REACHED[0], text=REACHED[1]))
    return bands


def band(figures: dict, scale: list[Band], target) -> tuple[str, str]:
    """(fill, text colour) of a region on the scale."""
    percent = figures.get("percent")
    if percent is None:
        return NO_DATA
    percent = float(percent)
    if target is not None and percent >= float(target):
        return REACHED
    for b in scale:
        if b.low is not None and percent < b.high:
            return b.fill, b.text
    measured = [b for b in scale if b.low is not None]
    return (measured[-1].fill, measured[-1].text) if measured else NO_DATA


def legend(scale: list[Band], target) -> list[dict]:
    """The classes as a reader sees them: `3–4%`, …, `target 30% tercapai`."""
    digits = 0 if all(float(b.low).is_integer() for b in scale if b.low is not None) else 1
    rows = []
    for b in scale:
        if b.low is None:
            label = _("target %(target)s tercapai") % {"target": format_target(target)}
        else:
            label = _("%(low)s–%(high)s%%") % {
                "low": formats.number_format(b.low, digits),
                "high": formats.number_format(b.high, digits),
            }
        rows.append({"fill": b.fill, "text": b.text, "label": label})
    return rows


def region_map(progress: RegionProgress, outlines: dict[str, dict]) -> dict | None:
    """The children of a region on a map: their outlines (child code → GeoJSON geometry) when
    every child has one, else a tile grid."""
    children = sorted(progress.children, key=lambda c: c["code"])
    if not children:
        return None
    target = progress.totals.get("target_percent")
    scale = colour_scale(children, target)
    tiles = []
    for child in children:
        fill, text = band(child, scale, target)
        tiles.append({**child, "fill": fill, "text": text, "url": region_url(child["code"])})
    if len(outlines) < len(children):
        return {"kind": "tiles", "tiles": tiles, "legend": legend(scale, target)}
    figure = _outline_figure(tiles, outlines)
    return {"kind": "outlines", "figure": figure, "legend": legend(scale, target)}


def _outline_figure(tiles: list[dict], outlines: dict) -> dict:
    traces = []
    for tile in tiles:
        geometry = outlines[tile["code"]]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        xs, ys = [], []
        for polygon in polygons:
            for ring in polygon:
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
        percent = "–" if tile["percent"] is None else f"{floatformat(tile['percent'], 1)}%"
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=tile["fill"],
                line={"color": "#ffffff", "width": 1},
                mode="lines",
                name=tile["name"],
                text=f"<b>{tile['name']}</b><br>{_('Capaian')}: {percent}",
                hoveron="fills",
                hoverinfo="text",
                customdata=[tile["url"]] * len(xs),
                showlegend=False,
            )
        )
    return {
        "data": traces,
        "layout": base_layout(
            height=420,
            xaxis={"visible": False},
            yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
            hovermode="closest",
        ),
    }
