"""What a visit can be expected to yield, following the evidence, and how many people are still
there to reach.

The yield of a visit to a desa and place type is the recency-weighted mean of the held visits
there (a visit counts half after HALF_LIFE_DAYS), shrunk toward the kecamatan's figure for that
place type, itself shrunk toward the kabupaten's, by PRIOR_VISITS pseudo-visits: a desa with one
visit is mostly its kecamatan, one with ten is mostly itself. The range is the 10th–90th
percentile of comparable visits (the kecamatan's of that place type when it has enough, else
the kabupaten's), scaled to the estimate.

What a visit can reach is capped by the people still there: the not-yet-activated holders of
the segments the place reaches, plus the retryable failures waiting for a second visit.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Sum

from ..institutions.selectors import institution_figures
from ..models import Region, RegionClosure, Visit, VisitFailure
from .selectors import HELD, in_region

HALF_LIFE_DAYS = 60
PRIOR_VISITS = 2.0
# Older visits weigh under 1/64 at a 60-day half-life: not worth reading.
EVIDENCE_DAYS = 365
# Comparable visits for the range: the kecamatan's when it has this many, else the kabupaten's.
MIN_COMPARABLE = 5
RANGE_QUANTILES = (0.1, 0.9)  # an 80% interval

# The place types a plan schedules (the office counter and self-activation are not visits),
# and the pool of people each reaches.
PLACE_POOL = {
    Visit.Place.SEKOLAH: "pelajar",
    Visit.Place.DESA: "umum",
    Visit.Place.PASAR: "umum",
    Visit.Place.KECAMATAN: "umum",
    Visit.Place.INSTANSI: "instansi",
}
PLANNABLE = tuple(PLACE_POOL)
# Segments an office visit reaches when its kecamatan has no institution roster.
GOVERNMENT_SEGMENTS = ("asn", "pppk", "bumn", "bumd", "tni", "polri", "dprd_kab", "dprd_prov")
DEFAULT_TEAM = 2


def weight(age_days: int) -> float:
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def weighted_quantile(values: list[tuple[float, float]], q: float) -> float:
    """The q-quantile of (value, weight) pairs: the first value whose cumulative weight
    reaches q of the total."""
    ordered = sorted(values)
    total = sum(w for _, w in ordered)
    running = 0.0
    for value, w in ordered:
        running += w
        if running >= q * total - 1e-12:
            return value
    return ordered[-1][0]


@dataclass(frozen=True)
class Estimate:
    expected: float  # activations per visit, before the cap by people still there
    low: float
    high: float
    where: str  # whose evidence dominates: "desa", "kecamatan" or "kabupaten"


class _Sums:
    __slots__ = ("w", "wy", "n", "points")

    def __init__(self):
        self.w = self.wy = 0.0
        self.n = 0
        self.points: list[tuple[float, float]] = []

    def add(self, y: float, w: float) -> None:
        self.w += w
        self.wy += w * y
        self.n += 1
        self.points.append((y, w))

    def mean(self) -> float | None:
        return self.wy / self.w if self.w else None


class YieldModel:
    """Held visits up to `as_of` read once; `estimate` answers for any desa and place type."""

    def __init__(self, rows: list[dict], as_of: dt.date):
        self.as_of = as_of
        self.kabupaten: dict[str, _Sums] = defaultdict(_Sums)
        self.kecamatan: dict[tuple, _Sums] = defaultdict(_Sums)
        self.desa: dict[tuple, _Sums] = defaultdict(_Sums)
        team: dict[str, list[int]] = defaultdict(list)
        # The last held visit per desa and place type, for the revisit rule (older ones than
        # the evidence read are long past it).
        self.last_held: dict[tuple[str, str], dt.date] = {}
        for r in rows:
            key = (r["desa"], r["place"])
            self.last_held[key] = max(self.last_held.get(key, r["held_on"]), r["held_on"])
            w = weight((as_of - r["held_on"]).days)
            y = float(r["activated"] or 0)
            self.kabupaten[r["place"]].add(y, w)
            self.kecamatan[(r["kecamatan"], r["place"])].add(y, w)
            self.desa[(r["desa"], r["place"])].add(y, w)
            team[r["place"]].append(r["team"] or 1)
        # Officers a place type takes: the median team of its held visits.
        self.team = {place: sorted(sizes)[len(sizes) // 2] for place, sizes in team.items()}
        self._cache: dict[tuple, Estimate | None] = {}

    def team_size(self, place: str) -> int:
        return max(self.team.get(place, DEFAULT_TEAM), 1)

    def estimate(self, desa: str, kecamatan: str, place: str) -> Estimate | None:
        """None for a place type no held visit in the kabupaten has tried: no evidence."""
        key = (desa, place)
        if key not in self._cache:
            self._cache[key] = self._estimate(desa, kecamatan, place)
        return self._cache[key]

    def _estimate(self, desa: str, kecamatan: str, place: str) -> Estimate | None:
        kab = self.kabupaten.get(place)
        if kab is None or not kab.w:
            return None
        kec = self.kecamatan.get((kecamatan, place)) or _Sums()
        own = self.desa.get((desa, place)) or _Sums()
        kec_mean = (kec.wy + PRIOR_VISITS * kab.mean()) / (kec.w + PRIOR_VISITS)
        expected = (own.wy + PRIOR_VISITS * kec_mean) / (own.w + PRIOR_VISITS)
        where = "kabupaten"
        if own.w >= PRIOR_VISITS:
            where = "desa"
        elif kec.w >= PRIOR_VISITS:
            where = "kecamatan"
        comparable = kec if kec.n >= MIN_COMPARABLE else kab
        centre = comparable.mean() or 0.0
        if centre <= 0:
            return Estimate(expected, expected, expected, where)
        low_q, high_q = (weighted_quantile(comparable.points, q) for q in RANGE_QUANTILES)
        # Skewed evidence can put the point outside the quantiles: the range always holds it.
        low, high = expected * low_q / centre, expected * high_q / centre
        return Estimate(expected, min(low, expected), max(high, expected), where)


def held_evidence(region: Region, as_of: dt.date) -> list[dict]:
    """The held visits of the year up to `as_of` in `region`: one GROUP BY for the teams."""
    since = as_of - dt.timedelta(days=EVIDENCE_DAYS - 1)
    visits = Visit.objects.filter(
        in_region(region), status=HELD, held_on__gte=since, held_on__lte=as_of
    )
    return list(
        visits.values("held_on", "activated", "place")
        .annotate(desa=F("region_id"), kecamatan=F("region__parent_id"), team=Count("officers"))
        .order_by()
    )


def yield_model(region: Region, as_of: dt.date) -> YieldModel:
    # Evidence is read kabupaten-wide, so that a kecamatan's plan shrinks toward the same
    # kabupaten figure the kabupaten's plan uses.
    root = region
    while root.parent_id is not None:
        root = root.parent
    return YieldModel(held_evidence(root, as_of), as_of)


# --- people still there to reach ---------------------------------------------------------------


def retryable_by_place(region: Region, as_of: dt.date | None) -> dict[tuple[str, str], int]:
    """Per (desa, place type): people who failed for a retryable reason at a held visit up to
    `as_of` (None: any day) that no later held visit to the same desa and place type has
    followed yet."""
    until = {} if as_of is None else {"held_on__lte": as_of}
    later = Visit.objects.filter(
        status=HELD,
        region=OuterRef("visit__region"),
        place=OuterRef("visit__place"),
        held_on__gt=OuterRef("visit__held_on"),
        **until,
    )
    held = Visit.objects.filter(in_region(region), status=HELD, **until)
    waiting = VisitFailure.objects.filter(
        visit__in=held.values("pk"), reason__retryable=True
    ).filter(~Exists(later))
    return {
        (r["visit__region_id"], r["visit__place"]): r["n"]
        for r in waiting.values("visit__region_id", "visit__place").annotate(n=Sum("people"))
    }


@dataclass
class Desa:
    code: str
    name: str
    kecamatan: str
    kecamatan_name: str
    gap_people: int | None = None


def desa_under(region: Region) -> list[Desa]:
    rows = Region.objects.filter(
        code__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"),
        level__in=(Region.Level.DESA, Region.Level.KELURAHAN),
    ).values_list("code", "name", "parent_id", "parent__name")
    return [Desa(*r) for r in rows.order_by("code")]


def pools(
    region: Region, as_of: dt.date, desa: list[Desa], figures: dict
) -> dict[tuple[str, str], float]:
    """People each pool still holds on `as_of`: (desa, "pelajar"|"umum") for a desa's pupils
    17+ and its public, (kecamatan, "instansi") for the offices of a kecamatan — their
    institutions' counted members not yet activated, or where no roster is kept, the
    government segments' holders not yet activated. `figures`: figures_by_segment's."""
    people = {key: max(f["holders"] - f["activated"], 0) for key, f in figures.items() if key[1]}
    result: dict[tuple[str, str], float] = defaultdict(float)
    government: dict[str, float] = defaultdict(float)
    for (code, segment), n in people.items():
        if segment in ("pelajar", "umum"):
            result[(code, segment)] += n
        elif segment in GOVERNMENT_SEGMENTS:
            government[code] += n
    kecamatan_of = {d.code: d.kecamatan for d in desa}
    rostered: dict[str, float] = defaultdict(float)
    for row in institution_figures(as_of=as_of, region=region):
        kecamatan = row["region"][:8]  # PP.KK.CC: institutions sit at a kecamatan or below
        if row["members"]:
            rostered[kecamatan] += max(row["members_counted"] - row["activated"], 0)
    for code, n in government.items():
        kecamatan = kecamatan_of[code]
        if kecamatan not in rostered:
            result[(kecamatan, "instansi")] += n
    for kecamatan, n in rostered.items():
        result[(kecamatan, "instansi")] += n
    return result


def pool_key(desa: Desa, place: str) -> tuple[str, str]:
    pool = PLACE_POOL[place]
    return (desa.kecamatan, pool) if pool == "instansi" else (desa.code, pool)


def capped(value: float, room: float) -> float:
    return max(min(value, room), 0.0)


def whole(value: float) -> int:
    """People are whole: an expected 14,6 is shown and summed as 15 (half up)."""
    return math.floor(value + 0.5)
