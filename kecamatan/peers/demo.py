"""Made-up peers for the demo: Jawa Tengah's 35 kabupaten/kota at the last six evaluation days
before the demo's data date, and a national table at the latest. Every figure but ours is
invented (seeded, so the demo is the same each time); ours is the demo's own count, a little
behind as a province's table usually is, so the ranking page has a reconciliation line to show."""

import datetime as dt
import random

from ikd_dashboard.dates import month_end

from ..models import PeerFigure
from ..progress.selectors import progress_data_date, progress_figures
from ..progress.targets import denominator_on
from ..regions import region_root
from .evaluation import is_evaluation_day
from .reference import kabkota_all

SEED = 3311
TABLES = 6
SOURCE = "demo"


def _evaluation_days(until: dt.date, count: int) -> list[dt.date]:
    days, day = [], until
    while len(days) < count:
        if is_evaluation_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def peers_demo_load() -> int:
    """Replace the peers' tables with the demo's; returns the rows written."""
    root = region_root()
    kabkota = kabkota_all()
    if root is None or root.code not in kabkota:
        return 0
    rng = random.Random(SEED)  # noqa: S311 - made-up figures, not secrets
    days = _evaluation_days(progress_data_date(), TABLES)
    province = kabkota[root.code].province_code
    rows = []
    for code, place in kabkota.items():
        if code == root.code:
            continue
        in_province = place.province_code == province
        people = (
            rng.randint(90_000, 400_000)
            if "Kota" in place.name
            else rng.randint(350_000, 1_600_000)
        )
        # Where they stand on the last day, and how fast they got there (points per month).
        level = rng.lognormvariate(1.95 if in_province else 2.2, 0.35)
        monthly = max(0.05, rng.gauss(0.35, 0.2))
        for day in days:
            months_before = (days[-1] - day).days / 30
            share = max(0.2, level - monthly * months_before) / 100
            rows.append((day, code, round(people * share), people, in_province))
    ours = {
        day: progress_figures(scope=root, as_of=day, codes=[root.code])[root.code] for day in days
    }
    for day in days:
        figures = ours[day]
        # The province counts a few days behind ours.
        rows.append((day, root.code, round(figures["activated"] * 0.985), figures["holders"], True))
    basis = denominator_on(days[-1])  # the peers count on the basis our target is of
    PeerFigure.objects.all().delete()
    figures = [
        PeerFigure(
            scope=PeerFigure.Scope.PROVINCE,
            as_of=day,
            code=code,
            activated=activated,
            denominator=denominator,
            basis=basis,
            source=f"tabel Provinsi {kabkota[root.code].province} ({SOURCE})",
        )
        for day, code, activated, denominator, in_province in rows
        if in_province
    ]
    latest = days[-1] if days[-1] == month_end(days[-1]) else days[-2]
    figures += [
        PeerFigure(
            scope=PeerFigure.Scope.NATIONAL,
            as_of=latest,
            code=code,
            activated=activated,
            denominator=denominator,
            basis=basis,
            source=f"tabel nasional ({SOURCE})",
        )
        for day, code, activated, denominator, _in_province in rows
        if day == latest
    ]
    PeerFigure.objects.bulk_create(figures)
    return len(figures)
