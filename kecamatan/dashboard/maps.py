"""The map of a region's children: their outlines (kecamatan/boundaries.py), or a tile grid
until there are. Drawn with plain Plotly shapes on x/y axes, so nothing (no base map, no tiles)
is fetched from the internet.

Colours say where a region stands against the target path ("seharusnya sudah": the straight
line from the target's start to its deadline, formulas.milestone_people), not how it ranks on
the page: at 4–6% of a 30% target, classes relative to the page made every region look fine.
Each shape carries its name and % in print, not only on hover."""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import polylabel

from ..progress.selectors import RegionProgress
from ..regions import region_url
from ..vocabulary import format_target
from .charts import base_layout, trace

# Within 5% of "seharusnya sudah" a region is on the line: a few days' work either way.
ON_PATH_TOLERANCE = 0.05
# Below half of "seharusnya sudah" a region is far behind: the demo's kecamatan (all behind the
# line) then still differ, and a reader sees where the gap is worst.
FAR_BEHIND = 0.5
BORDER = "#4d4d4d"  # between shapes and round the edge: pale classes need an edge on white


@dataclass(frozen=True)
class Status:
    """A class on the map: its fill, the colour of text on it, and its legend entry."""

    key: str
    fill: str
    text: str


# ColorBrewer PuOr (diverging, safe for colour blindness and in grey print): orange behind,
# pale on the line, purple ahead; the darkest purple for a region that reached its target.
# Grey for a region without figures (or whose figures are hidden).
FAR_BEHIND_STATUS = Status("far-behind", "#e66101", "#1a1a1a")
BEHIND = Status("behind", "#fdb863", "#1a1a1a")
ON_PATH = Status("on-path", "#ffffbf", "#1a1a1a")
AHEAD = Status("ahead", "#b2abd2", "#1a1a1a")
REACHED = Status("reached", "#5e3c99", "#ffffff")
NO_DATA = Status("no-data", "#d9d9d9", "#1a1a1a")
STATUSES = [FAR_BEHIND_STATUS, BEHIND, ON_PATH, AHEAD, REACHED]


def path_status(figures: dict, target) -> Status:
    """Where a region stands: reached its target, or against "seharusnya sudah" on its date."""
    percent, activated = figures.get("percent"), figures.get("activated")
    if percent is None or activated is None:
        return NO_DATA
    if target is not None and float(percent) >= float(target):
        return REACHED
    milestone = figures.get("milestone_people")
    if milestone is None:
        return NO_DATA
    if milestone <= 0:
        return AHEAD if activated > 0 else ON_PATH
    ratio = activated / milestone
    if ratio < FAR_BEHIND:
        return FAR_BEHIND_STATUS
    if ratio < 1 - ON_PATH_TOLERANCE:
        return BEHIND
    if ratio <= 1 + ON_PATH_TOLERANCE:
        return ON_PATH
    return AHEAD


def legend(target, *, no_data: bool = False) -> list[dict]:
    """Every class, worded so a reader needs no hover; "belum ada angka" only when it is used."""
    labels = {
        FAR_BEHIND_STATUS: _("tertinggal jauh: belum separuh yang seharusnya sudah"),
        BEHIND: _("tertinggal dari yang seharusnya sudah"),
        ON_PATH: _("sesuai garis (selisih ≤ %(n)s%%)") % {"n": round(ON_PATH_TOLERANCE * 100)},
        AHEAD: _("di depan yang seharusnya sudah"),
        REACHED: _("target %(target)s tercapai") % {"target": format_target(target)}
        if target is not None
        else _("target tercapai"),
    }
    rows = [{"key": s.key, "fill": s.fill, "text": s.text, "label": labels[s]} for s in STATUSES]
    if no_data:
        rows.append(
            {
                "key": NO_DATA.key,
                "fill": NO_DATA.fill,
                "text": NO_DATA.text,
                "label": _("belum ada angka"),
            }
        )
    return rows


def region_map(progress: RegionProgress, outlines: dict[str, dict]) -> dict | None:
    """The children of a region on a map: their outlines (child code → GeoJSON geometry) when
    every child has one, else a tile grid."""
    children = sorted(progress.children, key=lambda c: c["code"])
    if not children:
        return None
    target = progress.totals.get("target_percent")
    tiles = []
    for child in children:
        status = path_status(child, target)
        tiles.append(
            {
                **child,
                "status_class": status.key,
                "fill": status.fill,
                "text": status.text,
                "url": region_url(child["code"]),
            }
        )
    shown = legend(target, no_data=any(t["status_class"] == NO_DATA.key for t in tiles))
    if len(outlines) < len(children):
        return {"kind": "tiles", "tiles": tiles, "legend": shown}
    figure = _outline_figure(tiles, outlines, legend={row["key"]: row["label"] for row in shown})
    return {"kind": "outlines", "figure": figure, "legend": shown}


def _percent_text(tile: dict) -> str:
    return "–" if tile["percent"] is None else f"{floatformat(tile['percent'], 1)}%"


def _outline_figure(tiles: list[dict], outlines: dict, legend: dict[str, str]) -> dict:
    """A filled shape per region (holes left unstroked), one trace for every outer edge, and one
    of labels: each region's name and % at a point well inside it (its pole of inaccessibility),
    so a printout says which shape is which."""
    traces = []
    edge_x, edge_y = [], []
    label_x, label_y, label_text, label_colour = [], [], [], []
    candidates = []
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
            edge_x += [p[0] for p in polygon[0]] + [None]
            edge_y += [p[1] for p in polygon[0]] + [None]
        percent = _percent_text(tile)
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=tile["fill"],
                # No stroke of its own: a stroke would outline any hole too (white scratches).
                line={"color": tile["fill"], "width": 0},
                mode="lines",
                name=tile["name"],
                text=(
                    f"<b>{tile['name']}</b><br>{_('Capaian')}: {percent}"
                    f"<br>{legend[tile['status_class']]}"
                ),
                hoveron="fills",
                hoverinfo="text",
                customdata=[tile["url"]] * len(xs),
                showlegend=False,
            )
        )
        largest = max(shape(geometry).geoms, key=lambda p: p.area) if len(polygons) > 1 else None
        body = largest or shape(geometry)
        inside = polylabel(body, tolerance=0.0005)
        room = body.exterior.distance(inside)  # how wide the shape is where its label goes
        candidates.append((room, inside, tile["name"], percent, tile["text"]))
    size = 11 if len(tiles) <= 15 else 9
    for x, y, text, colour in _labels_that_fit(candidates, edge_x, edge_y, size):
        label_x.append(x)
        label_y.append(y)
        label_text.append(text)
        label_colour.append(colour)
    traces.append(
        trace(
            "scatter",
            x=edge_x,
            y=edge_y,
            mode="lines",
            line={"color": BORDER, "width": 0.8},
            hoverinfo="skip",
            showlegend=False,
            name="edges",
        )
    )
    traces.append(
        trace(
            "scatter",
            x=label_x,
            y=label_y,
            mode="text",
            text=label_text,
            textfont={"size": size, "color": label_colour},
            hoverinfo="skip",
            showlegend=False,
            name="labels",
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


# What a label takes on the map, in pixels: the plot is about this many pixels across its longer
# side (420 high; narrower on a phone, where the map keeps its aspect), a character about 0,6 of
# the font size wide, a line 1,25 of it high.
MAP_PIXELS = 380
CHAR_WIDTH, LINE_HEIGHT = 0.6, 1.25


def _labels_that_fit(candidates, edge_x, edge_y, size) -> list[tuple]:
    """Name and % where they fit, the % alone where the name would run over a label already
    placed, nothing where even that would (the shape keeps its hover and its table row): small
    desa side by side in a kecamatan made their names unreadable on top of each other. The
    widest places are labelled first."""
    xs = [v for v in edge_x if v is not None]
    ys = [v for v in edge_y if v is not None]
    if not xs:
        return []
    per_pixel = max(max(xs) - min(xs), max(ys) - min(ys)) / MAP_PIXELS
    placed, labels = [], []

    def box(point, lines: list[str]):
        half_w = max(len(line) for line in lines) * size * CHAR_WIDTH * per_pixel / 2
        half_h = len(lines) * size * LINE_HEIGHT * per_pixel / 2
        return (point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)

    def free(b) -> bool:
        return all(b[2] < o[0] or o[2] < b[0] or b[3] < o[1] or o[3] < b[1] for o in placed)

    for _room, point, name, percent, colour in sorted(candidates, key=lambda c: -c[0]):
        for lines, text in (
            ([name, percent], f"{name}<br><b>{percent}</b>"),
            ([percent], f"<b>{percent}</b>"),
        ):
            b = box(point, lines)
            if free(b):
                placed.append(b)
                labels.append((round(point.x, 5), round(point.y, 5), text, colour))
                break
    return labels
