"""A deterministic demo of Kabupaten Sukoharjo that follows the milestones in the local press.

About 680,000 KTP holders spread by population share and segment, and an activation history from
January 2023 to 9 April 2025: ~9,000 in Feb 2023 (mostly government staff), 15,000 in Jun 2023,
20,000 at the end of 2023, 32,000 at the end of Sep 2024, ~33,600 (4,9%) on 9 Apr 2025.
"""

import bisect
import datetime as dt
import random
from collections.abc import Iterable

from django.db import transaction

from .boundaries import SUKOHARJO_OUTLINES, boundaries_load
from .institutions.demo import institutions_demo
from .models import (
    Activation,
    Institution,
    InstitutionTarget,
    KtpHolderCount,
    ProgressSnapshot,
    RecomputeRun,
    Region,
    RosterMember,
)
from .nik import nik_hash
from .outreach.demo import outreach_history, outreach_store
from .progress.facts import facts_refresh
from .regions import regions_load_csv

SEED = 20250409
TOTAL_HOLDERS = 680_000
DATA_END = dt.date(2025, 4, 9)

# Cumulative activations at dates from domain.md; straight lines in between.
MILESTONES = [
    (dt.date(2023, 1, 1), 0),
    (dt.date(2023, 2, 28), 9_000),
    (dt.date(2023, 3, 31), 12_000),
    (dt.date(2023, 6, 30), 15_000),
    (dt.date(2023, 12, 31), 20_000),
    (dt.date(2024, 9, 30), 32_000),
    (DATA_END, 33_600),
]

# Kabupaten-wide holders per segment; masyarakat umum is the rest of the 680,000.
SEGMENT_HOLDERS = {
    "asn": 7_400,
    "pppk": 2_600,
    "bumn": 1_900,
    "bumd": 900,
    "tni": 1_100,
    "polri": 1_500,
    "dprd_kab": 45,
    "dprd_prov": 6,
    "dpr_ri": 3,
    "pelajar": 24_000,
}
# Share of each segment activated by 9 April 2025; umum takes whatever the milestones leave.
SEGMENT_RATE = {
    "asn": 0.82,
    "pppk": 0.66,
    "bumn": 0.55,
    "bumd": 0.50,
    "tni": 0.78,
    "polri": 0.80,
    "dprd_kab": 0.91,
    "dprd_prov": 0.83,
    "dpr_ri": 0.67,
    "pelajar": 0.17,
}
GOVERNMENT = {"asn", "pppk", "bumn", "bumd", "tni", "polri", "dprd_kab", "dprd_prov", "dpr_ri"}
# Towns near Solo take it up faster than the rural south; this makes kecamatan differ visibly.
KECAMATAN_UPTAKE = {
    "33.11.01": 0.55,
    "33.11.02": 0.45,
    "33.11.03": 0.75,
    "33.11.04": 1.7,
    "33.11.05": 0.65,
    "33.11.06": 0.9,
    "33.11.07": 0.8,
    "33.11.08": 1.05,
    "33.11.09": 1.45,
    "33.11.10": 1.15,
    "33.11.11": 0.85,
    "33.11.12": 1.6,
}
PLACES = {
    "government": [("instansi", 70), ("dinas", 20), ("mandiri", 10)],
    "pelajar": [("sekolah", 85), ("dinas", 10), ("mandiri", 5)],
    "umum": [
        ("desa", 35),
        ("kecamatan", 25),
        ("dinas", 20),
        ("pasar", 10),
        ("mandiri", 5),
        ("lainnya", 5),
    ],
}


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split a whole number in proportion to weights, exactly (Hamilton's method)."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    quotas = {k: total * w / weight_sum for k, w in weights.items()}
    shares = {k: int(q) for k, q in quotas.items()}
    leftover = total - sum(shares.values())
    for k in sorted(quotas, key=lambda k: (shares[k] - quotas[k], k))[:leftover]:
        shares[k] += 1
    return shares


def _daily_curve() -> tuple[list[dt.date], list[float]]:
    """Each day from the first milestone to the last, with the cumulative activations by then."""
    days, cumulative = [], []
    weekday_weight = [1.0, 1.0, 1.0, 1.0, 0.9, 0.35, 0.1]  # outreach happens on working days
    running = 0.0
    for (start, c0), (end, c1) in zip(MILESTONES, MILESTONES[1:], strict=False):
        span = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
        weights = [weekday_weight[d.weekday()] for d in span]
        for day, w in zip(span, weights, strict=True):
            running += (c1 - c0) * w / sum(weights)
            days.append(day)
            cumulative.append(running)
    return days, cumulative


def _desa_holders(desa: list[Region]) -> dict[str, dict[str, int]]:
    """Holders per desa code and segment code."""
    per_desa = largest_remainder(TOTAL_HOLDERS, {d.code: d.population or 0 for d in desa})
    result = {code: {} for code in per_desa}
    for segment, total in SEGMENT_HOLDERS.items():
        for code, n in largest_remainder(total, per_desa).items():
            result[code][segment] = n
    for code, n in per_desa.items():
        result[code]["umum"] = n - sum(result[code].values())
    return result


def _activated_counts(holders: dict[str, dict[str, int]], rng: random.Random) -> dict:
    """How many people activated per (desa, segment) by DATA_END."""
    counts = {}
    for segment, rate in SEGMENT_RATE.items():
        total = round(SEGMENT_HOLDERS[segment] * rate)
        weights = {c: h[segment] * rng.uniform(0.8, 1.2) for c, h in holders.items()}
        for code, n in largest_remainder(total, weights).items():
            counts[(code, segment)] = min(n, holders[code][segment])
    umum_total = MILESTONES[-1][1] - sum(counts.values())
    weights = {
        c: h["umum"] * KECAMATAN_UPTAKE[c[:8]] * rng.uniform(0.6, 1.4) for c, h in holders.items()
    }
    for code, n in largest_remainder(umum_total, weights).items():
        counts[(code, "umum")] = n
    return counts


def _pick(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _fake_nik(rng: random.Random, desa_code: str, seen: set[str]) -> str:
    """A NIK-shaped number: kecamatan digits, a birth date (+40 on the day for women), a serial."""
    region = desa_code[:8].replace(".", "")
    while True:
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 58))
        day = birth.day + (40 if rng.random() < 0.5 else 0)
        nik = (
            f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randrange(1, 10000):04d}"
        )
        if nik not in seen:
            seen.add(nik)
            return nik


def _activations(
    counts: dict, rng: random.Random, seen: set[str]
) -> Iterable[tuple[str, Activation]]:
    """Give every activation a date: government staff first, pelajar in between, umum throughout.
    Each comes with its synthetic NIK (kept in memory only, for the demo's rosters)."""
    people = []
    for (code, segment), n in sorted(counts.items()):
        for _ in range(n):
            if segment in GOVERNMENT:
                key, group = rng.uniform(0.0, 0.45), "government"
            elif segment == "pelajar":
                key, group = rng.uniform(0.15, 0.85), "pelajar"
            else:
                key, group = rng.random() ** 0.8, "umum"
            people.append((key, code, segment, group))
    people.sort()
    days, cumulative = _daily_curve()
    for rank, (_, code, segment, group) in enumerate(people):
        day = days[min(bisect.bisect_left(cumulative, rank + 0.5), len(days) - 1)]
        nik = _fake_nik(rng, code, seen)
        yield (
            nik,
            Activation(
                nik_hash=nik_hash(nik),
                activated_on=day,
                region_id=code,
                segment_id=segment,
                place=_pick(rng, PLACES[group]),
            ),
        )


def demo_load() -> dict[str, int]:
    """Replace all activations, holder counts and snapshots with the demo; returns counts."""
    rng = random.Random(SEED)
    regions_load_csv()
    # The real outlines, so the demo's map is a map; kecamatan drawn from their desa, which fit
    # each other (the source's own kecamatan outlines are coarse).
    outlines = boundaries_load(SUKOHARJO_OUTLINES, kecamatan_from_desa=True)
    if not outlines.ok:
        raise ValueError("; ".join(outlines.errors[:5]))
    desa = list(Region.objects.filter(code__startswith="33.11.", depth=4).order_by("code"))
    holders = _desa_holders(desa)
    holder_rows = []
    for code, by_segment in holders.items():
        for segment, n in by_segment.items():
            # Two DKB semesters, so history uses the count valid at the time.
            holder_rows.append(
                KtpHolderCount(
                    region_id=code,
                    segment_id=segment,
                    valid_from=dt.date(2023, 1, 1),
                    holders=round(n * 0.985),
                )
            )
            holder_rows.append(
                KtpHolderCount(
                    region_id=code, segment_id=segment, valid_from=dt.date(2024, 7, 1), holders=n
                )
            )
    seen: set[str] = set()
    people = list(_activations(_activated_counts(holders, rng), rng, seen))
    activations = [activation for _nik, activation in people]
    # Outreach visits gather some activations on their days (within the month: totals stay).
    visits = outreach_history(
        activations=activations, desa=desa, holders=holders, data_end=DATA_END
    )
    with transaction.atomic():
        ProgressSnapshot.objects.all().delete()
        RecomputeRun.objects.exclude(status=RecomputeRun.Status.RUNNING).delete()
        Activation.objects.all().delete()
        KtpHolderCount.objects.all().delete()
        KtpHolderCount.objects.bulk_create(holder_rows, batch_size=2000)
        Activation.objects.bulk_create(activations, batch_size=2000)
        facts_refresh(scope=None)
        visit_count = outreach_store(visits)
        institution_count = _institutions_store(people, seen)
    return {
        "holders": TOTAL_HOLDERS,
        "activations": len(activations),
        "visits": visit_count,
        "institutions": institution_count,
        "outlines": sum(outlines.loaded.values()),
    }


def _institutions_store(people: list, seen: set[str]) -> int:
    """The demo's institutions with rosters drawn from the demo's own people (hashes only)."""
    institutions, members, targets = institutions_demo(
        people=people, fake_nik=lambda rng, desa: _fake_nik(rng, desa, seen)
    )
    InstitutionTarget.objects.all().delete()
    Institution.objects.all().delete()  # their members with them
    Institution.objects.bulk_create(institutions)
    RosterMember.objects.bulk_create(members, batch_size=5000)
    InstitutionTarget.objects.bulk_create(targets)
    return len(institutions)
