"""Region outlines for the map, from a GeoJSON file (`python manage.py load_boundaries FILE`).

Features may carry Kemendagri codes (`33.11.01`, `331101`) or BPS codes (`3311010` →
`33.11.01`); desa outlines are also dissolved into their kecamatan when the file has no
kecamatan outline of its own (or when asked to: desa drawn by one hand fit each other better
than a coarse kecamatan outline fits them). Neighbouring desa rarely meet exactly: the slivers
between them become holes in the dissolved kecamatan, which are dropped below SLIVER_M2.
Outlines are simplified for drawing at kabupaten scale.
"""

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from shapely import MultiPolygon, Polygon, get_num_coordinates, set_precision, unary_union
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from .models import Region, RegionBoundary
from .pagecache import pages_changed

# Sukoharjo's outlines, shipped with the project (fixtures/NOTICE.md: source and MIT licence).
SUKOHARJO_OUTLINES = Path(__file__).parent / "fixtures" / "sukoharjo-batas.geojson"
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
# A kabupaten's desa outlines are a few MB and some hundred thousand points; much more is not a
# map of a kabupaten, and would only make the check slow.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_POINTS = 2_000_000
SIMPLIFY_DEGREES = 0.0003  # about 30 m: invisible at kabupaten scale, a tenth of the bytes
PRECISION_DEGREES = 0.00001  # about 1 m
# Holes and islands smaller than 5 ha (a square of 224 m) in a dissolved kecamatan are gaps left
# between neighbouring desa, not places: Sukoharjo's 318 are 0–0,73 ha (median 240 m²), while
# the smallest desa or kelurahan anywhere is tens of hectares.
SLIVER_M2 = 50_000
M_PER_DEGREE = 111_320  # along the equator and, near enough, along a meridian
SCHEME_NAMES = {"kemendagri": "Kemendagri", "bps": "BPS"}


def code_scheme(raw) -> str | None:
    """ "kemendagri" or "bps" when a code can only be one of them, else None (2, 4 digits).
    Kemendagri codes are dotted, 6 digits (kecamatan) or 10 whose desa part starts 1 or 2; BPS
    codes are 7 digits (kecamatan) or 10 whose kecamatan part ends in 0 (`010`)."""
    text = str(raw or "").strip().upper().removeprefix("ID")
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}(\.\d{4})?", text):
        return "kemendagri"
    if not text.isdigit():
        return None
    if len(text) == 6 or (len(text) == 10 and text[6] in "12"):
        return "kemendagri"
    if len(text) == 7 or (len(text) == 10 and text[6] == "0"):
        return "bps"
    return None


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
    path: Path,
    *,
    code_property: str | None = None,
    scheme: str = "auto",
    kecamatan_from_desa: bool = False,
) -> BoundaryReport:
    """Read a GeoJSON FeatureCollection and store one outline per region it names.

    The whole file is checked first; nothing is written when any feature is wrong, and what is
    written replaces the earlier outlines of the same regions, in one transaction. With
    `kecamatan_from_desa`, a kecamatan whose desa are in the file is drawn from them even when
    the file has an outline of its own for it.
    """
    report = BoundaryReport()
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise ValueError(_("lebih dari %(mb)s MB") % {"mb": MAX_FILE_BYTES // 2**20})
        collection = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        features = collection["features"]
        if not isinstance(features, list):
            raise TypeError(_("'features' bukan daftar"))
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        report.errors.append(
            _("Bukan berkas GeoJSON FeatureCollection: %(error)s") % {"error": error}
        )
        return report
    known = dict(Region.objects.values_list("code", "level"))
    shapes: dict[str, list] = defaultdict(list)
    from_desa: dict[str, list] = defaultdict(list)
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            report.errors.append(
                _("Fitur %(number)s: bukan Feature dengan properties.") % {"number": number}
            )
            continue
        properties = feature["properties"]
        names = [code_property] if code_property else CODE_PROPERTIES
        raw = next((properties[n] for n in names if properties.get(n) not in (None, "")), None)
        found = code_scheme(raw)
        if scheme != "auto" and found not in (None, scheme):
            # Read in the wrong scheme, a code names another region or none (a BPS desa code
            # only its kecamatan): said once, for the file, not once per feature.
            report.errors.append(
                _(
                    "Kode di berkas ini kode %(found)s (mis. %(raw)s), bukan kode %(asked)s "
                    "seperti yang diminta (--codes %(scheme)s). Jalankan dengan --codes "
                    "%(other)s atau tanpa --codes."
                )
                % {
                    "found": SCHEME_NAMES[found],
                    "raw": raw,
                    "asked": SCHEME_NAMES[scheme],
                    "scheme": scheme,
                    "other": found,
                }
            )
            return report
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
        problem, geometry = _geometry(feature.get("geometry"))
        if problem:
            report.errors.append(_("%(where)s: %(problem)s") % {"where": where, "problem": problem})
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
    dissolved = set()
    for kecamatan, parts in from_desa.items():
        if kecamatan in known and (kecamatan_from_desa or kecamatan not in shapes):
            shapes[kecamatan] = parts
            dissolved.add(kecamatan)
    report.dissolved = len(dissolved)
    with transaction.atomic():
        RegionBoundary.objects.filter(region_id__in=shapes).delete()
        RegionBoundary.objects.bulk_create(
            RegionBoundary(
                region_id=code,
                geometry=_for_drawing(
                    without_slivers(unary_union(parts)) if code in dissolved else unary_union(parts)
                ),
                source=Path(path).name[:200],
            )
            for code, parts in shapes.items()
        )
    pages_changed()  # bulk_create sends no signal
    for code in shapes:
        report.loaded[known[code]] = report.loaded.get(known[code], 0) + 1
    return report


def _geometry(raw) -> tuple[str | None, object]:
    """(None, the geometry) or (why not, None): a Polygon or MultiPolygon of longitudes and
    latitudes, of a size a map of a kabupaten can hold."""
    try:
        geometry = shape(raw)
    except Exception as error:  # noqa: BLE001 — shapely raises anything on a broken geometry
        return _("geometri tidak terbaca (%(error)s).") % {"error": error.__class__.__name__}, None
    if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
        return _("geometri harus Polygon atau MultiPolygon."), None
    if get_num_coordinates(geometry) > MAX_POINTS:
        return _("lebih dari %(n)s titik.") % {"n": MAX_POINTS}, None
    west, south, east, north = geometry.bounds  # NaN or infinity fails every comparison
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return _("koordinat di luar bujur −180…180 / lintang −90…90 (bukan WGS 84?)."), None
    return None, geometry


def without_slivers(geometry, min_m2: float = SLIVER_M2):
    """The geometry without holes, or islands beside a larger part, smaller than `min_m2`."""
    polygons = list(getattr(geometry, "geoms", [geometry]))
    # Square metres per square degree here: a degree of longitude shrinks with the latitude.
    latitude = geometry.centroid.y
    m2_per_degree2 = M_PER_DEGREE**2 * math.cos(math.radians(latitude))
    kept = []
    for polygon in polygons:
        holes = [r for r in polygon.interiors if Polygon(r).area * m2_per_degree2 >= min_m2]
        kept.append(Polygon(polygon.exterior, holes))
    largest = max(kept, key=lambda p: p.area)
    kept = [p for p in kept if p is largest or p.area * m2_per_degree2 >= min_m2]
    return orient(kept[0]) if len(kept) == 1 else MultiPolygon([orient(p) for p in kept])


def _for_drawing(geometry) -> dict:
    simple = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return mapping(set_precision(simple, PRECISION_DEGREES))
