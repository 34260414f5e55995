"""The map of a region's children: their outlines (kecamatan/boundaries.py), or a tile grid
until there are. Drawn with plain Plotly shapes on x/y axes, so nothing (no base map, no tiles)
is fetched from the internet."""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ..progress.selectors import RegionProgress
from .charts import base_layout, trace

# Share of the target reached, in five steps (ColorBrewer YlGnBu, safe for colour blindness).
BANDS = [
    (0.25, "#ffffcc", "#1a1a1a"),
    (0.50, "#a1dab4", "#1a1a1a"),
    (0.75, "#41b6c4", "#1a1a1a"),
    (1.00, "#2c7fb8", "#ffffff"),
    (None, "#253494", "#ffffff"),
]
NO_DATA = ("#e5e5e5", "#1a1a1a")


def band(figures: dict) -> tuple[str, str]:
    """(fill, text colour) for a region by the share of its target reached."""
    percent, target = figures.get("percent"), figures.get("target_percent")
    if percent is None:
        return NO_DATA
    share = float(percent) / float(target) if target else float(percent) / 30
    for upper, fill, text in BANDS:
        if upper is None or share < upper:
            return fill, text
    return BANDS[-1][1:]


def legend() -> list[dict]:
    """The bands as a reader sees them: `< 25% dari target` … `target tercapai`."""
    rows, lower = [], 0
    for upper, fill, text in BANDS:
        if upper is None:
            label = _("target tercapai")
        else:
            label = _("%(low)s–%(high)s%% dari target") % {
                "low": formats.number_format(lower * 100, 0),
                "high": formats.number_format(upper * 100, 0),
            }
        rows.append({"fill": fill, "text": text, "label": label})
        lower = upper
    return rows


def region_map(progress: RegionProgress, outlines: dict[str, dict]) -> dict | None:
    """The children of a region on a map: their outlines (child code → GeoJSON geometry) when
    every child has one, else a tile grid."""
    children = sorted(progress.children, key=lambda c: c["code"])
    if not children:
        return None
    tiles = []
    for child in children:
        fill, text = band(child)
        tiles.append(
            {**child, "fill": fill, "text": text, "url": reverse("region", args=[child["code"]])}
        )
    if len(outlines) < len(children):
        return {"kind": "tiles", "tiles": tiles, "legend": legend()}
    return {"kind": "outlines", "figure": _outline_figure(tiles, outlines), "legend": legend()}


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
