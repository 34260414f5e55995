"""Where to go next: the desa/kelurahan ranked by people still needed for the target (absolute,
as campaign microplanning ranks areas), with the last visit, the best-yielding place type there
(or in its kecamatan) and the retryable failures still waiting for a second visit. A fixed
number of GROUP BY queries, whatever the number of desa. The plan itself is plan.py's.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from ikd_dashboard.numbers import rounded

from ..models import ProgressSnapshot, Region, RegionClosure, Visit
from ..progress.selectors import progress_figures, progress_latest_as_of
from .expected import retryable_by_place
from .selectors import HELD, in_region
from .yields import ratio

DESA_LEVELS = (Region.Level.DESA, Region.Level.KELURAHAN)
# Yields are read over the year before the day the figures run to: older visits were another
# phase of the campaign (government staff first, in 2023).
YIELD_WINDOW_DAYS = 365
# A desa's own best place type needs this many held visits there; fewer, and its kecamatan's.
MIN_VISITS_FOR_DESA = 2


def retryable_waiting(region: Region) -> dict[str, int]:
    """Per desa: people who failed for a retryable reason at a held visit that no later held
    visit to the same desa and place type has followed yet (expected.retryable_by_place, summed
    over the place types)."""
    waiting: dict[str, int] = defaultdict(int)
    for (desa, _place), people in retryable_by_place(region, None).items():
        waiting[desa] += people
    return waiting


def _desa_figures(region: Region, as_of: dt.date | None) -> dict[str, dict]:
    """Gap, holders and activated of every desa under `region` on `as_of`, from the snapshots
    (or computed on the fly for a date never recomputed)."""
    desa = Region.objects.filter(
        code__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"),
        level__in=DESA_LEVELS,
    ).values("code", "name", "parent_id", "parent__name")
    desa = {d["code"]: d for d in desa}
    if as_of is None or not desa:
        return {}
    figures = {
        s["region_id"]: s
        for s in ProgressSnapshot.objects.filter(
            as_of=as_of, segment__isnull=True, region_id__in=list(desa)
        ).values("region_id", "holders", "activated", "percent", "gap_people")
    }
    if not figures:
        figures = progress_figures(scope=region, as_of=as_of, codes=list(desa))
    return {code: {**d, **figures.get(code, {})} for code, d in desa.items()}


@dataclass
class BestPlace:
    place: str
    per_visit: float
    where: str  # "desa" or "kecamatan"


def best_places(visits_in_window) -> tuple[dict[str, BestPlace], dict[str, BestPlace]]:
    """The place type with the most activations per held visit, per desa (with at least
    MIN_VISITS_FOR_DESA visits) and per kecamatan."""
    rows = list(
        visits_in_window.filter(status=HELD)
        .values("region_id", "region__parent_id", "place")
        .annotate(n=Count("pk"), people=Sum("activated"))
    )
    by_desa: dict[str, dict[str, list[int]]] = {}
    by_kecamatan: dict[str, dict[str, list[int]]] = {}
    for r in rows:
        for group, key in ((by_desa, r["region_id"]), (by_kecamatan, r["region__parent_id"])):
            totals = group.setdefault(key, {}).setdefault(r["place"], [0, 0])
            totals[0] += r["n"]
            totals[1] += r["people"] or 0

    def best(group: dict, where: str, minimum: int) -> dict[str, BestPlace]:
        chosen = {}
        for key, places in group.items():
            if sum(n for n, _ in places.values()) < minimum:
                continue
            place, (n, people) = max(places.items(), key=lambda p: (p[1][1] / p[1][0], p[0]))
            chosen[key] = BestPlace(place=place, per_visit=ratio(people, n), where=where)
        return chosen

    return best(by_desa, "desa", MIN_VISITS_FOR_DESA), best(by_kecamatan, "kecamatan", 1)


def where_next(*, region: Region, reference: dt.date, n: int | None = None) -> list[dict]:
    """The desa/kelurahan under `region` ranked by people still needed for the target, then by
    the longest time since a held visit (never visited first), then by code."""
    desa = _desa_figures(region, progress_latest_as_of())
    visits = Visit.objects.filter(in_region(region))
    last = dict(
        visits.filter(status=HELD, held_on__lte=reference)
        .values_list("region_id")
        .annotate(last=Max("held_on"))
        .values_list("region_id", "last")
    )
    waiting = retryable_waiting(region)
    since = reference - dt.timedelta(days=YIELD_WINDOW_DAYS - 1)
    own, kecamatan = best_places(visits.filter(held_on__gte=since, held_on__lte=reference))
    items = []
    for code, d in desa.items():
        last_on = last.get(code)
        best = own.get(code) or kecamatan.get(d["parent_id"])
        items.append(
            {
                "code": code,
                "name": d["name"],
                "kecamatan": d["parent__name"],
                "holders": d.get("holders"),
                "activated": d.get("activated"),
                "percent": d.get("percent"),
                "gap_people": d.get("gap_people"),
                "last_visit_on": last_on,
                "days_since": (reference - last_on).days if last_on else None,
                "retryable_waiting": waiting.get(code, 0),
                "best_place": best.place if best else None,
                "best_place_label": Visit.Place(best.place).label if best else None,
                "best_per_visit": best.per_visit if best else None,
                "best_where": best.where if best else None,
            }
        )
    never = math.inf
    items.sort(
        key=lambda i: (
            -(i["gap_people"] or 0),
            -(never if i["days_since"] is None else i["days_since"]),
            i["code"],
        )
    )
    return items[:n] if n else items


def next_rows(items: list[dict]) -> list[list]:
    """The ranking as a sheet: where to go next, furthest behind first. The dated schedule,
    within the team's capacity, is the plan's (plan.py, `draft_rows`)."""
    header = [
        _("Peringkat"),
        _("Kode wilayah"),
        _("Desa/Kelurahan"),
        _("Kecamatan"),
        _("Kekurangan (orang)"),
        _("Jenis tempat terbaik"),
        _("Aktivasi per kegiatan"),
        _("Kunjungan terakhir"),
        _("Hari sejak kunjungan"),
        _("Gagal bisa diulang menunggu"),
    ]
    rows = [header]
    for rank, item in enumerate(items, start=1):
        rows.append(
            [
                rank,
                item["code"],
                item["name"],
                item["kecamatan"],
                item["gap_people"],
                item["best_place"] or "",
                rounded(item["best_per_visit"], 1) if item["best_per_visit"] else None,
                item["last_visit_on"],
                item["days_since"],
                item["retryable_waiting"],
            ]
        )
    return rows
