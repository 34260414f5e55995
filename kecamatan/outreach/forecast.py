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

from django.db.models import Q, Sum

from ..formulas import exact
from ..models import Region, Visit
from ..progress.selectors import (
    activations_in_windows,
    figures_by_segment,
    progress_for_region,
)
from .capacity import Capacity, as_if, capacity_for
from .expected import desa_under, pools, retryable_by_place, yield_model
from .schedule import Schedule, draft_schedule
from .selectors import HELD, in_region

ORGANIC_WINDOWS = (30, 60, 90)
ORGANIC_WINDOW = 60  # the point estimate's
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
        plan, plan_low, plan_high = schedule.totals()
        activated, holders = int(totals["activated"]), int(totals["holders"])
        target_people = int(totals["gap_people"] or 0) + activated
        per_day = rates[ORGANIC_WINDOW]
        by_day, running, reaches = schedule.by_day(), float(activated), None
        for offset in range(1, days + 1):
            day = as_of + dt.timedelta(days=offset)
            running += per_day + by_day.get(day, 0)
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
            pace_30d_per_day=float(totals.get("pace_30d_per_day") or 0),
        )

    def what_it_takes(self, forecast: Forecast) -> Forecast:
        """Officers needed to reach the target by the deadline at today's yields (None when no
        team would: the people the visits can reach run out first), and the yield per visit the
        current team would need instead."""
        short = forecast.target_people - forecast.activated_now - forecast.organic
        if forecast.reached:
            forecast.officers_needed = forecast.officers
            return forecast
        forecast.yield_multiple_needed = short / forecast.plan if forecast.plan else None
        if short > sum(self.pools.values()) + sum(self.waiting.values()):
            return forecast
        officers, achieved = max(forecast.officers, 1), forecast.plan
        for _attempt in range(8):
            # Scale the team by what is missing, then check with a real run: pools deplete
            # and the best places go first, so each added officer yields less.
            per_officer = achieved / officers if achieved else 0
            if per_officer <= 0:
                return forecast
            guess = max(math.ceil(short / per_officer), officers + 1)
            if guess > MAX_OFFICERS:
                return forecast
            run = self.schedule(forecast.deadline, officers=guess).totals()[0]
            if run >= short:
                forecast.officers_needed = guess
                return forecast
            if run <= achieved:  # more officers, nothing more to reach
                return forecast
            officers, achieved = guess, run
        return forecast
