"""Forecast backtest: how well the plan's forecast (kecamatan/outreach/plan.py) held in the past.

Usage: python bench/bench_forecast.py [--every 14] [--history demo|surge|both]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench3 python bench/bench_forecast.py

Uses DATABASE_URL when set, else a throwaway SQLite file; loads the demo into that database (it
replaces the demo tables) and writes a second, generated history beside it (Kabupaten Uji,
33.99), each measured with only its own Petugas active. For origins every `--every` days over
each history's last year, the plan is made as it would have been on that day (`as_of` reads
only the activations and visits up to it), and its fan — the cumulative activations expected
each day, with the 80% range — is read at origin + 30 and + 90 days against the activations
counted by then. Printed per history and horizon: mean absolute error (people, % of the actual
cumulative count, % of the actual gain since the origin), mean signed error (bias: + is a
forecast too high) and coverage (the share of origins whose range held the outcome; 0,80 is
the range's claim). Copy the table into docs/design.md ("Forecast backtest").

The generated history ("surge") is unlike the demo on purpose: the team uses its whole capacity
every working day (as the planner assumes), the yield per visit rises through the year and falls
back after, and activations without a visit surge for a campaign quarter, then drop.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
if __name__ == "__main__":  # imported by a test, the test's own database stays
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.pop("CELERY_BROKER_URL", None)  # the demo's recompute runs in-process here

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import transaction  # noqa: E402

from kecamatan.accounts.roles import PETUGAS  # noqa: E402
from kecamatan.models import Activation, KtpHolderCount, Region, Visit  # noqa: E402
from kecamatan.nik import nik_hasher  # noqa: E402
from kecamatan.outreach.plan import outreach_plan  # noqa: E402
from kecamatan.progress.facts import facts_refresh  # noqa: E402
from kecamatan.progress.selectors import activations_between  # noqa: E402
from kecamatan.regions import region_closure_rebuild  # noqa: E402

HORIZONS = (30, 90)
EVERY_DAYS = 14
BEGINNING = dt.date(2000, 1, 1)  # before any activation: a cumulative count starts here


# --- the backtest ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One origin and horizon: the forecast's point and 80% range at origin + horizon, and the
    cumulative activations counted by that day."""

    origin: dt.date
    horizon: int
    start: int  # activated on the origin, as the forecast read it
    predicted: float
    low: float
    high: float
    actual: int

    @property
    def error(self) -> float:
        return self.predicted - self.actual

    @property
    def held(self) -> bool:
        return self.low <= self.actual <= self.high


@dataclass(frozen=True)
class Summary:
    horizon: int
    origins: int
    mae: float  # people
    mae_percent: float  # of the actual cumulative count, mean over origins
    mae_gain_percent: float  # of the actual gain from the origin to origin + horizon
    bias: float  # mean signed error, people: + is too high
    coverage: float  # share of origins whose 80% range held the outcome
    predicted_gain: float  # mean people the forecast added to the origin's count
    actual_gain: float  # mean people counted from the origin to origin + horizon


def backtest(
    *,
    region: Region,
    origins: list[dt.date],
    until: dt.date,
    horizons: tuple[int, ...] = HORIZONS,
    officers: int | None = None,
) -> list[Outcome]:
    """The plan made on each origin, read at origin + each horizon, against what happened.

    No outcome for a horizon past `until` (the last day the history has counted) or past the
    forecast's deadline (its fan stops there). Visits held after an origin are unknown to its
    forecast, as they were on that day."""
    outcomes = []
    for origin in origins:
        plan = outreach_plan(region=region, as_of=origin, officers=officers, cached=False)
        fan = {point["day"]: point for point in plan.fan}
        for horizon in horizons:
            day = origin + dt.timedelta(days=horizon)
            if day > until or day not in fan:
                continue
            point = fan[day]
            outcomes.append(
                Outcome(
                    origin=origin,
                    horizon=horizon,
                    start=plan.forecast.activated_now,
                    predicted=point["expected"],
                    low=point["low"],
                    high=point["high"],
                    actual=activations_between(region=region, first=BEGINNING, last=day),
                )
            )
    return outcomes


def summary(outcomes: list[Outcome]) -> list[Summary]:
    """Per horizon: MAE, bias and coverage over the origins that reached it."""
    result = []
    for horizon in sorted({o.horizon for o in outcomes}):
        rows = [o for o in outcomes if o.horizon == horizon]
        gains = [o for o in rows if o.actual > o.start]
        result.append(
            Summary(
                horizon=horizon,
                origins=len(rows),
                mae=statistics.fmean(abs(o.error) for o in rows),
                mae_percent=statistics.fmean(100 * abs(o.error) / o.actual for o in rows),
                mae_gain_percent=statistics.fmean(
                    100 * abs(o.error) / (o.actual - o.start) for o in gains
                )
                if gains
                else float("nan"),
                bias=statistics.fmean(o.error for o in rows),
                coverage=sum(o.held for o in rows) / len(rows),
                predicted_gain=statistics.fmean(o.predicted - o.start for o in rows),
                actual_gain=statistics.fmean(o.actual - o.start for o in rows),
            )
        )
    return result


def origins_every(first: dt.date, last: dt.date, days: int = EVERY_DAYS) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(0, (last - first).days + 1, days)]


# --- a generated history --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """What happened each day: activations that came through no visit (a rate per day, for the
    whole region), and `visits_per_day` held visits each working day, each activating about
    `yield_at(day)` people (times a factor in 1 ± `noise`)."""

    first: dt.date
    last: dt.date
    organic_at: Callable[[dt.date], float]
    yield_at: Callable[[dt.date], float]
    visits_per_day: int
    places: tuple[str, ...] = ("desa", "pasar")
    noise: float = 0.0
    seed: int = 1


def history_write(*, scenario: Scenario, root: Region, officers: list[User]) -> dict[str, int]:
    """Write the scenario's activations (segment umum) and held visits under `root`, then the
    daily facts. Organic people go round the desa one by one; the visits go round every (desa,
    place type) in turn, by teams of two officers, each activating its people in its desa that
    day. Whole people: each day's fractions carry over to the next."""
    desa = list(
        Region.objects.filter(code__startswith=root.code + ".", depth=4)
        .order_by("code")
        .values_list("code", flat=True)
    )
    stops = [(code, place) for place in scenario.places for code in desa]
    rng, hashed = random.Random(scenario.seed), nik_hasher()
    activations, visits, carry, serial, turn = [], [], 0.0, 0, 0
    day = scenario.first
    while day <= scenario.last:
        carry += scenario.organic_at(day)
        people = [(desa[(serial + k) % len(desa)], "mandiri") for k in range(int(carry))]
        carry -= int(carry)
        for k in range(scenario.visits_per_day if day.weekday() < 5 else 0):
            code, place = stops[turn % len(stops)]
            turn += 1
            factor = 1 + rng.uniform(-scenario.noise, scenario.noise) if scenario.noise else 1
            n = max(round(scenario.yield_at(day) * factor), 0)
            team = [officers[(2 * k + i) % len(officers)] for i in range(2)]
            visits.append((code, place, day, n, team))
            people += [(code, place)] * n
        for code, place in people:
            serial += 1
            activations.append(
                Activation(
                    nik_hash=hashed(f"riwayat-{root.code}-{scenario.seed}-{serial}"),
                    activated_on=day,
                    region_id=code,
                    segment_id="umum",
                    place=place,
                )
            )
        day += dt.timedelta(days=1)
    with transaction.atomic():
        Activation.objects.bulk_create(activations, batch_size=5000)
        rows = Visit.objects.bulk_create(
            [
                Visit(
                    region_id=code,
                    place=place,
                    location=f"{place} {code}",
                    status=Visit.Status.HELD,
                    planned_on=day,
                    held_on=day,
                    activated=n,
                )
                for code, place, day, n, _team in visits
            ],
            batch_size=5000,
        )
        Link = Visit.officers.through
        Link.objects.bulk_create(
            [
                Link(visit_id=row.pk, user_id=user.pk)
                for row, (*_, team) in zip(rows, visits, strict=True)
                for user in team
            ],
            batch_size=5000,
        )
        facts_refresh(scope=root.code)
    return {"activations": len(activations), "visits": len(visits)}


SURGE_ROOT = "33.99"
SURGE_KECAMATAN, SURGE_DESA, SURGE_HOLDERS = 3, 4, 4_000  # holders (umum) per desa
SURGE_OFFICERS = ("uji-andi", "uji-bayu", "uji-citra", "uji-dian")
SURGE_FIRST, SURGE_LAST = dt.date(2024, 3, 1), dt.date(2025, 10, 31)
SURGE_PEAK = dt.date(2025, 6, 30)  # the yield per visit rises to here, then falls back


def _surge_yield(day: dt.date) -> float:
    if day <= SURGE_PEAK:
        return 8 + 22 * (day - SURGE_FIRST).days / (SURGE_PEAK - SURGE_FIRST).days
    return 30 - 18 * (day - SURGE_PEAK).days / (SURGE_LAST - SURGE_PEAK).days


def _surge_organic(day: dt.date) -> float:
    weekday = 1.0 if day.weekday() < 5 else 0.4
    if dt.date(2025, 2, 1) <= day <= dt.date(2025, 4, 30):  # the campaign quarter
        return 25 * weekday
    return (3 if day > dt.date(2025, 4, 30) else 6) * weekday


SURGE = Scenario(
    first=SURGE_FIRST,
    last=SURGE_LAST,
    organic_at=_surge_organic,
    yield_at=_surge_yield,
    visits_per_day=2,
    noise=0.4,
    seed=20251031,
)


def team_only(usernames) -> list[User]:
    """These Petugas, active and able to go anywhere, and no other: a plan books the active
    Petugas, and the demo's and the generated history's teams share one database here."""
    group = Group.objects.get(name=PETUGAS)
    users = []
    for username in usernames:
        user, _created = User.objects.get_or_create(username=username)
        user.groups.add(group)
        users.append(user)
    User.objects.filter(groups=group).exclude(username__in=usernames).update(is_active=False)
    User.objects.filter(username__in=usernames).update(is_active=True)
    return users


def surge_history_create() -> Region:
    """Kabupaten Uji (3 kecamatan × 4 desa, 48.000 holders), written anew."""
    Activation.objects.filter(region__code__startswith=SURGE_ROOT + ".").delete()
    Visit.objects.filter(region__code__startswith=SURGE_ROOT + ".").delete()
    KtpHolderCount.objects.filter(region__code__startswith=SURGE_ROOT + ".").delete()
    rows = [(SURGE_ROOT, "Kabupaten Uji", "kabupaten", None)]
    for c in range(1, SURGE_KECAMATAN + 1):
        kecamatan = f"{SURGE_ROOT}.{c:02d}"
        rows.append((kecamatan, f"Kecamatan Uji {c}", "kecamatan", SURGE_ROOT))
        for d in range(1, SURGE_DESA + 1):
            rows.append((f"{kecamatan}.{2000 + d}", f"Desa Uji {c}.{d}", "desa", kecamatan))
    for code, name, level, parent in rows:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "depth": Region.DEPTHS[level],
                "parent_id": parent,
            },
        )
    region_closure_rebuild()
    KtpHolderCount.objects.bulk_create(
        KtpHolderCount(
            region_id=code, segment_id="umum", valid_from=SURGE_FIRST, holders=SURGE_HOLDERS
        )
        for code, _name, level, _parent in rows
        if level == "desa"
    )
    root = Region.objects.get(code=SURGE_ROOT)
    history_write(scenario=SURGE, root=root, officers=team_only(SURGE_OFFICERS))
    return root


def demo_history_create() -> Region:
    from django.core.management import call_command

    from kecamatan.outreach.demo import OFFICERS

    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    team_only([username for username, *_ in OFFICERS])
    return Region.objects.get(code="33.11")


# --- the table ------------------------------------------------------------------------------------


def _number(value: float, decimals: int = 0) -> str:
    """Indonesian figures, as docs/ writes them: 1.234 and 4,9."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def report(name: str, outcomes: list[Outcome], seconds: float, origins: int) -> None:
    print(f"\n{name}: {origins} origins, {seconds:.1f} s ({seconds / origins:.2f} s a plan)")
    print(
        f"{'horizon':>8} {'origins':>8} {'MAE':>9} {'MAE % cum':>10} {'MAE % gain':>11}"
        f" {'bias':>9} {'coverage':>9} {'gain: forecast':>15} {'actual':>7}"
    )
    for s in summary(outcomes):
        print(
            f"{s.horizon:>6} d {s.origins:>8} {_number(s.mae):>9} {_number(s.mae_percent, 1):>10}"
            f" {_number(s.mae_gain_percent, 0):>11} {_number(s.bias):>9}"
            f" {_number(s.coverage, 2):>9} {_number(s.predicted_gain):>15}"
            f" {_number(s.actual_gain):>7}"
        )
    print(
        f"\n{'origin':>10} {'h':>3} {'start':>8} {'low':>8} {'point':>8} {'high':>8} {'actual':>8}"
    )
    for o in outcomes:
        print(
            f"{o.origin:%Y-%m-%d} {o.horizon:>3} {o.start:>8} {o.low:>8.0f} {o.predicted:>8.0f}"
            f" {o.high:>8.0f} {o.actual:>8}{'' if o.held else '  outside'}"
        )


def run(name: str, root: Region, until: dt.date, every: int) -> list[Outcome]:
    origins = origins_every(until - dt.timedelta(days=365), until - dt.timedelta(days=30), every)
    start = time.perf_counter()
    outcomes = backtest(region=root, origins=origins, until=until)
    report(name, outcomes, time.perf_counter() - start, len(origins))
    return outcomes


def main() -> None:
    from django.core.management import call_command
    from django.db import connection

    from kecamatan.demo import DATA_END

    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=EVERY_DAYS, help="days between origins")
    parser.add_argument("--history", choices=("demo", "surge", "both"), default="both")
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if args.history in ("demo", "both"):
        run("demo (Sukoharjo, 167 desa)", demo_history_create(), DATA_END, args.every)
    if args.history in ("surge", "both"):
        run("surge (Kabupaten Uji, 12 desa)", surge_history_create(), SURGE_LAST, args.every)


if __name__ == "__main__":
    main()
