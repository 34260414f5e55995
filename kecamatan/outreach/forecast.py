"""Where the team's plan leaves the deadline, with a range, and what reaching the target takes.

Activations expected by the deadline = activated now + the organic trend (activations that came
through no visit, per day) + the visits the team can hold until the deadline at the same
capacity (the draft schedule run on to the deadline, each visit at its evidence-weighted yield).
The range: the organic rate over the last 30, 60 and 90 days (lowest and highest) plus the
visits' own 80% ranges. `bench/bench_forecast.py` measures how well both held in the past.
"""

import datetime as dt
import math
from dataclasses import dataclass, replace

from django.db.models import Count, Q, Sum

from ..formulas import exact
from ..models import Region, Visit
from ..progress.selectors import (
    activations_in_windows,
    figures_by_segment,
    progress_for_region,
)
from .capacity import Capacity, as_if, capacity_for, working_days
from .expected import desa_under, pools, retryable_by_place, yield_model
from .schedule import Schedule, draft_schedule
from .selectors import HELD, in_region

ORGANIC_WINDOWS = (30, 60, 90)
ORGANIC_WINDOW = 60  # the point estimate's
# The team's track record: how much of its capacity it used, and what a visit gave.
TRACK_RECORD_DAYS = 60
MAX_OFFICERS = 500  # beyond this a kabupaten's team is not a plan but a different campaign


@dataclass
class Forecast:
    deadline: dt.date
    days: int  # calendar days from the day after `as_of` to the deadline
    activated_now: int
    denominator_people: int
    target_percent: float
    target_people: int
    organic_per_day: float
    organic: int
    organic_low: int
    organic_high: int
    plan: int
    plan_low: int
    plan_high: int
    officers: int
    reaches_target_on: dt.date | None
    # The draft carried out in full, and the two factors that bring it to what the team did in
    # the last TRACK_RECORD_DAYS: the share of its officer-days it used, and the activations a
    # held visit gave against what the draft expects of one (never above 1).
    plan_full: int = 0
    team_use: float = 1.0
    yield_realism: float = 1.0
    pace_30d_per_day: float = 0.0  # the dashboard's straight line, shown beside for comparison
    officers_needed: int | None = None
    yield_multiple_needed: float | None = None

    @property
    def activated(self) -> int:
        return self.activated_now + self.organic + self.plan

    @property
    def low(self) -> int:
        return self.activated_now + self.organic_low + self.plan_low

    @property
    def high(self) -> int:
        return self.activated_now + self.organic_high + self.plan_high

    def percent_of(self, people: int):
        return exact(people * 100, self.denominator_people) if self.denominator_people else None

    @property
    def straight_line(self) -> int:
        return round(self.pace_30d_per_day * self.days)

    @property
    def reached(self) -> bool:
        return self.activated >= self.target_people


def organic_rates(region: Region, as_of: dt.date) -> dict[int, float]:
    """Activations per day that came through no visit, over each window ending on `as_of`:
    all activations less those the held visits recorded. Two queries."""
    total = activations_in_windows(region=region, last=as_of, windows=ORGANIC_WINDOWS)
    first = {days: as_of - dt.timedelta(days=days - 1) for days in ORGANIC_WINDOWS}
    by_visits = Visit.objects.filter(
        in_region(region), status=HELD, held_on__gte=min(first.values()), held_on__lte=as_of
    ).aggregate(
        **{
            str(days): Sum("activated", filter=Q(held_on__gte=first[days]))
            for days in ORGANIC_WINDOWS
        }
    )
    return {
        days: max(total[days] - (by_visits[str(days)] or 0), 0) / days for days in ORGANIC_WINDOWS
    }


def track_record(region: Region, as_of: dt.date, officers: int, days_per_week: int):
    """Over the last TRACK_RECORD_DAYS: the officer-days held visits used, against the
    officer-days the team had (today's team: accounts keep no history), and the activations
    per held visit. Two queries."""
    first = as_of - dt.timedelta(days=TRACK_RECORD_DAYS - 1)
    held = Visit.objects.filter(
        in_region(region), status=HELD, held_on__gte=first, held_on__lte=as_of
    )
    used = Visit.officers.through.objects.filter(visit__in=held.values("pk")).count()
    figures = held.aggregate(n=Count("pk"), people=Sum("activated"))
    days = len(working_days(first, as_of, days_per_week=days_per_week))
    available = officers * days
    use = min(used / available, 1.0) if available else 0.0
    per_visit = (figures["people"] or 0) / figures["n"] if figures["n"] else None
    return use, per_visit


@dataclass
class PlanInputs:
    region: Region
    as_of: dt.date
    officers: int | None = None  # None: the region's active Petugas
    days_per_week: int = 5


class Planner:
    """Reads once what every run needs (evidence, pools, gaps), then schedules any period with
    any team: the 4-week draft, the run to the deadline, the what-ifs."""

    def __init__(self, inputs: PlanInputs):
        self.inputs = inputs
        region, as_of = inputs.region, inputs.as_of
        self.progress = progress_for_region(region=region, as_of=as_of)
        self.model = yield_model(region, as_of)
        self.desa = desa_under(region)
        codes = [d.code for d in self.desa]
        figures = figures_by_segment(scope=region, as_of=as_of, codes=codes) if codes else {}
        for d in self.desa:
            d.gap_people = figures.get((d.code, None), {}).get("gap_people")
        self.pools = pools(region, as_of, self.desa, figures)
        self.waiting = retryable_by_place(region, as_of)
        self._capacity: dict[dt.date, Capacity] = {}
        self._realism: tuple[float, float, float] | None = None
        self.last_held = self.model.last_held

    def schedule(self, last: dt.date, officers: int | None = None) -> Schedule:
        inputs = self.inputs
        if last not in self._capacity:  # read once per period, whatever the team asked for
            self._capacity[last] = capacity_for(
                region=inputs.region,
                first=inputs.as_of + dt.timedelta(days=1),
                last=last,
                days_per_week=inputs.days_per_week,
            )
        capacity = self._capacity[last]
        wanted = inputs.officers if officers is None else officers
        if wanted is not None:
            capacity = replace(capacity, officers=as_if(capacity.officers, wanted))
        schedule = draft_schedule(
            capacity=capacity,
            model=self.model,
            desa=self.desa,
            pools=self.pools,
            waiting=self.waiting,
            last_held=self.last_held,
        )
        schedule.capacity = capacity
        return schedule

    def forecast(self, schedule: Schedule | None = None) -> Forecast | None:
        totals = self.progress.totals if self.progress else {}
        deadline = totals.get("target_deadline")
        if not deadline or totals.get("holders") is None or deadline <= self.inputs.as_of:
            return None
        schedule = schedule or self.schedule(deadline)
        return self._forecast(schedule, deadline, totals)

    def _forecast(self, schedule: Schedule, deadline: dt.date, totals: dict) -> Forecast:
        as_of = self.inputs.as_of
        days = (deadline - as_of).days
        rates = organic_rates(self.inputs.region, as_of)
        full, full_low, full_high = schedule.totals(last=deadline)
        scale, use, realism = self.realism(schedule, deadline)
        plan, plan_low, plan_high = (round(n * scale) for n in (full, full_low, full_high))
        activated, holders = int(totals["activated"]), int(totals["holders"])
        target_people = int(totals["gap_people"] or 0) + activated
        per_day = rates[ORGANIC_WINDOW]
        by_day, running, reaches = schedule.by_day(), float(activated), None
        for offset in range(1, days + 1):
            day = as_of + dt.timedelta(days=offset)
            running += per_day + by_day.get(day, 0) * scale
            if running >= target_people:
                reaches = day
                break
        return Forecast(
            deadline=deadline,
            days=days,
            activated_now=activated,
            denominator_people=holders,
            target_percent=float(totals["target_percent"] or 0),
            target_people=target_people,
            organic_per_day=per_day,
            organic=round(per_day * days),
            organic_low=round(min(rates.values()) * days),
            organic_high=round(max(rates.values()) * days),
            plan=plan,
            plan_low=plan_low,
            plan_high=plan_high,
            officers=len(schedule.capacity.officers),
            reaches_target_on=reaches,
            plan_full=full,
            team_use=use,
            yield_realism=realism,
            pace_30d_per_day=float(totals.get("pace_30d_per_day") or 0),
        )

    def realism(self, schedule: Schedule, deadline: dt.date) -> tuple[float, float, float]:
        """What the draft carried out in full becomes at the team's track record: (the factor,
        the share of officer-days used, the yield per visit held against the draft's). The
        backtest showed a full-capacity forecast three times too high where a team went out on
        a fraction of its days (docs/design.md, "Forecast backtest")."""
        if self._realism is None:
            inputs = self.inputs
            # The real team's record, whatever team a what-if asks about.
            real = len(next(iter(self._capacity.values())).officers)
            use, per_visit = track_record(inputs.region, inputs.as_of, real, inputs.days_per_week)
            lines = [x for x in schedule.lines if x.day <= deadline]
            planned = sum(x.expected for x in lines) / len(lines) if lines else None
            realism = min(per_visit / planned, 1.0) if per_visit and planned else 1.0
            self._realism = (use * realism, use, realism)
        return self._realism

    def what_it_takes(self, forecast: Forecast, known: tuple | None = None) -> Forecast:
        """Officers needed to reach the target by the deadline with the draft carried out in
        full at today's yields (None when no team would: the people the visits can reach run out
        first), and the yield per visit the current team would need instead. `known`: the
        search's answer from an earlier plan on the same data, `(officers or None,)`."""
        short = forecast.target_people - forecast.activated_now - forecast.organic
        if forecast.reached:
            forecast.officers_needed = forecast.officers
            return forecast
        # What it takes is said of the draft carried out in full: a team that goes out on every
        # working day it has, at the yields the draft expects.
        forecast.yield_multiple_needed = short / forecast.plan_full if forecast.plan_full else None
        found = known if known is not None else (self.officers_needed(forecast, short),)
        forecast.officers_needed = found[0]
        return forecast

    def officers_needed(self, forecast: Forecast, short: int) -> int | None:
        """The search itself: each step a run to the deadline with a larger team."""
        if short > sum(self.pools.values()) + sum(self.waiting.values()):
            return None
        officers, achieved = max(forecast.officers, 1), forecast.plan_full
        for _attempt in range(8):
            # Scale the team by what is missing, then check with a real run: pools deplete
            # and the best places go first, so each added officer yields less.
            per_officer = achieved / officers if achieved else 0
            if per_officer <= 0:
                return None
            guess = max(math.ceil(short / per_officer), officers + 1)
            if guess > MAX_OFFICERS:
                return None
            run = self.schedule(forecast.deadline, officers=guess).totals(last=forecast.deadline)[0]
            if run >= short:
                return guess
            if run <= achieved:  # more officers, nothing more to reach
                return None
            officers, achieved = guess, run
        return None
