"""The map of a region's children: outlines loaded from GeoJSON, or a tile grid until there are.

Boundaries come from `python manage.py load_boundaries FILE.geojson`. Features may carry
Kemendagri codes (`33.11.01`, `331101`) or BPS codes (`3311010` → `33.11.01`); desa outlines
are also dissolved into their kecamatan when the file has no kecamatan outline of its own.
The map is drawn with plain Plotly shapes on x/y axes, so nothing (no base map, no tiles) is
fetched from the internet.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from shapely import MultiPolygon, Polygon, set_precision, unary_union
from shapely.geometry import mapping, shape

from .charts import base_layout, trace
from .models import Region, RegionBoundary
from .pagecache import pages_changed
from .progress.selectors import RegionProgress

# Property names national and open datasets use for the region code, tried in this order.
CODE_PROPERTIES = [
    "kode",
    "kode_wilayah",
    "kode_kemendagri",
    "KDEPUM",
    "kode_bps",
    "KDEBPS",
    "ADM3_PCODE",
    "ADM4_PCODE",
    "code",
    "id",
]
SIMPLIFY_DEGREES = 0.0003  # about 30 m: invisible at kabupaten scale, a tenth of the bytes
PRECISION_DEGREES = 0.00001  # about 1 m

# Share of the target reached, in five steps (ColorBrewer YlGnBu, safe for colour blindness).
BANDS = [
    (0.25, "#ffffcc", "#1a1a1a"),
    (0.50, "#a1dab4", "#1a1a1a"),
    (0.75, "#41b6c4", "#1a1a1a"),
    (1.00, "#2c7fb8", "#ffffff"),
    (None, "#253494", "#ffffff"),
]
NO_DATA = ("#e5e5e5", "#1a1a1a")


def kemendagri_code(raw, scheme: str = "auto") -> tuple[str | None, bool]:
    """A feature's code as a Kemendagri code, and whether it is a BPS desa code (which has no
    exact Kemendagri match, so only its kecamatan is known). None when it is not a code."""
    text = str(raw or "").strip().upper().removeprefix("ID")
    if re.fullmatch(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?", text):
        return text, False
    digits = text if text.isdigit() else ""
    if scheme == "auto" and len(digits) == 10:
        # Kemendagri desa codes are 1xxx (kelurahan) or 2xxx (desa); a BPS kecamatan part ends in 0.
        scheme = "kemendagri" if digits[6] in "12" else "bps"
    if len(digits) in (2, 4) or (len(digits) in (6, 10) and scheme != "bps"):
        parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
        return ".".join(p for p in parts if p), False
    if len(digits) in (7, 10) and scheme != "kemendagri":
        # BPS: province 2, kabupaten 2, kecamatan 3 (010 → 01), desa 3.
        return f"{digits[:2]}.{digits[2:4]}.{int(digits[4:7]) // 10:02d}", len(digits) == 10
    return None, False


@dataclass
class BoundaryReport:
    loaded: dict[str, int] = field(default_factory=dict)  # level → regions with an outline
    dissolved: int = 0  # kecamatan outlines made from their desa
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def boundaries_load(
    path: Path, *, code_property: str | None = None, scheme: str = "auto"
) -> BoundaryReport:
    """Read a GeoJSON FeatureCollection and store one outline per region it names.

    The whole file is checked first; nothing is written when any feature is wrong, and what is
    written replaces the earlier outlines of the same regions, in one transaction.
    """
    report = BoundaryReport()
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        report.errors.append(
            _("Bukan berkas GeoJSON FeatureCollection: %(error)s") % {"error": error}
        )
        return report
    known = dict(Region.objects.values_list("code", "level"))
    shapes: dict[str, list] = defaultdict(list)
    from_desa: dict[str, list] = defaultdict(list)
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        names = [code_property] if code_property else CODE_PROPERTIES
        raw = next((properties[n] for n in names if properties.get(n) not in (None, "")), None)
        code, bps_desa = kemendagri_code(raw, scheme)
        where = _("Fitur %(number)s (%(raw)s)") % {"number": number, "raw": raw}
        if code is None:
            report.errors.append(
                _("%(where)s: tidak ada kode wilayah di properti %(names)s.")
                % {"where": where, "names": ", ".join(names)}
            )
            continue
        if code not in known:
            report.errors.append(
                _("%(where)s: kode %(code)s tidak ada di daftar wilayah.")
                % {"where": where, "code": code}
            )
            continue
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            report.errors.append(
                _("%(where)s: geometri tidak terbaca (%(error)s).")
                % {"where": where, "error": error}
            )
            continue
        if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
            report.errors.append(
                _("%(where)s: geometri harus Polygon atau MultiPolygon.") % {"where": where}
            )
            continue
        geometry = geometry if geometry.is_valid else geometry.buffer(0)
        if bps_desa:
            from_desa[code].append(geometry)
        else:
            shapes[code].append(geometry)
            if known[code] in (Region.Level.DESA, Region.Level.KELURAHAN):
                from_desa[code.rsplit(".", 1)[0]].append(geometry)
    if report.errors:
        return report
    for kecamatan, parts in from_desa.items():
        if kecamatan in known and kecamatan not in shapes:
            shapes[kecamatan] = parts
            report.dissolved += 1
    with transaction.atomic():
        RegionBoundary.objects.filter(region_id__in=shapes).delete()
        RegionBoundary.objects.bulk_create(
            RegionBoundary(
                region_id=code,
                geometry=_for_drawing(unary_union(parts)),
                source=Path(path).name[:200],
            )
            for code, parts in shapes.items()
        )
    pages_changed()  # bulk_create sends no signal
    for code in shapes:
        report.loaded[known[code]] = report.loaded.get(known[code], 0) + 1
    return report


def _for_drawing(geometry) -> dict:
    simple = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return mapping(set_precision(simple, PRECISION_DEGREES))


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
