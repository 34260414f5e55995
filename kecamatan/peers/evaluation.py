"""Evaluation points: Kemendagri looks at every office on the 15th and on the last day of each
month. At the latest table we say where we stood, and for the next evaluation what it takes, in
people on the table's own denominator:

- to move up one place: to pass the office just above us, at the figure it will have if it keeps
  its pace since the previous table (or stands still, with no previous table);
- to reach the province median, the median of every row with the others moved on the same way
  and ours as it was;
- to be on the straight line of our target on that day (progress: `milestone_people`, as a share
  of our own denominator, applied to the table's).

All three are counted from our figure in the table, so they are "people by then"; what our own
data has recorded since the table's date is said beside them."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ikd_dashboard.dates import month_end

from ..formulas import percent
from .ranking import PeerRow, PeerTable

MID_MONTH = 15


def is_evaluation_day(day: dt.date) -> bool:
    return day.day == MID_MONTH or day == month_end(day)


def next_evaluation(after: dt.date) -> dt.date:
    """The first evaluation day after `after`."""
    if after.day < MID_MONTH:
        return after.replace(day=MID_MONTH)
    if after < month_end(after):
        return month_end(after)
    return (after + dt.timedelta(days=1)).replace(day=MID_MONTH)


def latest_evaluation_table(dates: list[dt.date]) -> dt.date | None:
    """The latest table dated on an evaluation day, else the latest table at all."""
    on_days = [d for d in dates if is_evaluation_day(d)]
    return (on_days or dates or [None])[-1]


@dataclass
class EvaluationNeeds:
    table: PeerTable
    next_day: dt.date
    up_one: int | None  # people; None when we are first
    above: PeerRow | None  # the office to pass
    above_keeps_pace: bool  # its pace is known (else it is assumed to stand still)
    to_median: int
    median_then: Decimal
    to_path: int | None  # None without a target
    path_percent: Decimal | None
    since: int | None  # what our own data recorded after the table's date

    @property
    def is_evaluation(self) -> bool:
        return is_evaluation_day(self.table.as_of)

    @property
    def days(self) -> int:
        return (self.next_day - self.table.as_of).days


def projected(row: PeerRow, days: int) -> Fraction:
    """A peer's activations `days` after its table, at its pace (standing still without one),
    as an exact fraction: the needs below are whole people, rounded once."""
    if row.gain is None:
        return Fraction(row.activated)
    return row.activated + Fraction(row.gain * days, row.gain_days)


def people_to_pass(us: PeerRow, their_ratio: Fraction) -> int:
    """People we need on top of our figure for our ratio to be strictly above `their_ratio`."""
    at_least = math.floor(their_ratio * us.denominator) + 1
    return max(at_least - us.activated, 0)


def people_to_reach(us: PeerRow, ratio: Fraction) -> int:
    """People we need on top of our figure for our ratio to reach `ratio`."""
    return max(math.ceil(ratio * us.denominator) - us.activated, 0)


def _percent(ratio: Fraction) -> Decimal:
    return percent(ratio.numerator, ratio.denominator)


def evaluation_needs(
    table: PeerTable,
    *,
    next_day: dt.date,
    path: tuple[int, int] | None,
    since: int | None,
) -> EvaluationNeeds | None:
    """What the next evaluation needs of us; `path` is (milestone people, holders) of our own
    figures on `next_day`. None when we are not in the table."""
    us = table.us
    if us is None:
        return None
    days = (next_day - table.as_of).days
    above = [r for r in table.rows if r.percent > us.percent]
    closest = min(above, key=lambda r: (r.percent, r.code)) if above else None
    median_ratio = statistics.median(
        Fraction(us.activated, us.denominator) if row.us else projected(row, days) / row.denominator
        for row in table.rows
    )
    path_percent = to_path = None
    if path and path[1]:
        path_ratio = Fraction(*path)
        path_percent, to_path = _percent(path_ratio), people_to_reach(us, path_ratio)
    return EvaluationNeeds(
        table=table,
        next_day=next_day,
        up_one=(
            people_to_pass(us, projected(closest, days) / closest.denominator) if closest else None
        ),
        above=closest,
        above_keeps_pace=bool(closest and closest.gain is not None),
        to_median=people_to_reach(us, median_ratio),
        median_then=_percent(median_ratio),
        to_path=to_path,
        path_percent=path_percent,
        since=since,
    )
