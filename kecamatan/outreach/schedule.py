"""The draft schedule: which visits, on which day, with which officers, give the most expected
activations within the team's capacity.

Greedy by day, which is what a coordinator does by hand and is within a few percent of the best
at this scale: each working day, the visits worth most (expected activations, capped by the
people still there) are given to the officers free that day, the narrowest-limited first; no
officer is booked twice a day, no desa twice a day, no desa and place type again within
REVISIT_DAYS; each visit takes its expected people out of the pool it draws on. Visits already
planned come first, as they are.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from ..models import Visit
from ..vocabulary import format_people
from .capacity import Capacity, Officer
from .expected import PLANNABLE, Desa, Estimate, YieldModel, capped, pool_key, whole

REVISIT_DAYS = 7
# Of the people who failed for a reason a second visit solves (no email, no signal…), the
# share assumed to come back and activate when the officers return.
RETRY_TAKE = 0.5
# A visit expected to activate fewer people than this is not worth an officer's day.
MIN_WORTH = 1.0


@dataclass
class Line:
    day: dt.date
    desa: Desa
    place: str
    officers: list[Officer]
    expected: int
    low: int
    high: int
    reason: "Reason"
    fixed: bool = False  # a visit already planned (or asked for by letter)
    visit_id: int | None = None

    @property
    def place_label(self) -> str:
        return str(Visit.Place(self.place).label)

    @property
    def why(self) -> str:
        """In words, built when read: a run to the deadline makes thousands of lines."""
        return _why(self.desa, self.place, *self.reason)


class Reason(NamedTuple):
    estimate: Estimate
    expected: float
    waiting: int  # retryable failures waiting at this desa and place type


@dataclass
class Schedule:
    lines: list[Line] = field(default_factory=list)
    capacity: Capacity | None = None

    @property
    def expected_total(self) -> int:
        return sum(line.expected for line in self.lines)

    def totals(self, last: dt.date | None = None) -> tuple[int, int, int]:
        lines = [x for x in self.lines if last is None or x.day <= last]
        return (
            sum(x.expected for x in lines),
            sum(x.low for x in lines),
            sum(x.high for x in lines),
        )

    def by_day(self) -> dict[dt.date, int]:
        days: dict[dt.date, int] = defaultdict(int)
        for line in self.lines:
            days[line.day] += line.expected
        return days


def _why(desa: Desa, place: str, estimate: Estimate, expected: float, waiting: int) -> str:
    parts = []
    if desa.gap_people:
        parts.append(_("kekurangan %(n)s") % {"n": format_people(desa.gap_people)})
    spread = max(estimate.high - expected, expected - estimate.low, 0)
    parts.append(
        _("%(place)s %(n)s ±%(spread)s per kegiatan (%(where)s)")
        % {
            "place": Visit.Place(place).label,
            "n": format_people(whole(expected)),
            "spread": format_people(whole(spread)),
            "where": {
                "desa": _("hasil di desa ini"),
                "kecamatan": _("hasil di kecamatan"),
                "kabupaten": _("hasil se-kabupaten"),
            }[estimate.where],
        }
    )
    if waiting:
        parts.append(_("%(n)s gagal bisa diulang") % {"n": format_people(waiting)})
    return "; ".join(parts)


def draft_schedule(
    *,
    capacity: Capacity,
    model: YieldModel,
    desa: list[Desa],
    pools: dict[tuple[str, str], float],
    waiting: dict[tuple[str, str], int],
    last_held: dict[tuple[str, str], dt.date],
) -> Schedule:
    remaining = defaultdict(float, pools)
    waiting = dict(waiting)
    last = dict(last_held)
    by_code = {d.code: d for d in desa}
    for (code, place), n in waiting.items():
        if code in by_code and place in PLANNABLE:
            remaining[pool_key(by_code[code], place)] += n
    schedule = Schedule()

    def take(d: Desa, place: str, estimate: Estimate, day: dt.date, base: float | None = None):
        """Book one visit: its expected people come out of the pool it draws on."""
        key = pool_key(d, place)
        extra = RETRY_TAKE * waiting.pop((d.code, place), 0)
        point = capped((base if base is not None else estimate.expected) + extra, remaining[key])
        scale = point / estimate.expected if estimate.expected else 1.0
        low = capped(estimate.low * scale, point)
        high = capped(estimate.high * scale, remaining[key])
        remaining[key] -= point
        last[(d.code, place)] = day
        return point, low, high

    for visit in capacity.commitments:
        d = by_code.get(visit.region_id)
        estimate = model.estimate(d.code, d.kecamatan, visit.place) if d else None
        if d is None or visit.place not in PLANNABLE or estimate is None:
            continue
        held_waiting = waiting.get((d.code, visit.place), 0)
        # The office's own expectation of a visit it planned stands, when it gave one.
        point, low, high = take(d, visit.place, estimate, visit.planned_on, visit.expected)
        officers = [
            Officer(o.username, o.get_full_name() or o.username, None) for o in visit.officers.all()
        ]
        schedule.lines.append(
            Line(
                day=visit.planned_on,
                desa=d,
                place=visit.place,
                officers=officers,
                expected=whole(point),
                low=whole(low),
                high=whole(high),
                reason=Reason(estimate, point, held_waiting),
                fixed=True,
                visit_id=visit.pk,
            )
        )

    # The desa visits already planned take on each day (a scan of all lines per day would grow
    # with the square of a run to the deadline).
    fixed_desa: dict[dt.date, set[str]] = defaultdict(set)
    for line in schedule.lines:
        fixed_desa[line.day].add(line.desa.code)
    options = [
        (d, place, estimate)
        for d in desa
        for place in PLANNABLE
        if (estimate := model.estimate(d.code, d.kecamatan, place)) is not None
    ]
    gap = {d.code: d.gap_people or 0 for d in desa}
    smallest_team = min((model.team_size(p) for p in PLANNABLE), default=1)
    revisit = dt.timedelta(days=REVISIT_DAYS)
    for day in capacity.days:
        # Free officers by the region they are limited to ("" for none): a desa's officers
        # are found in three lookups, not by scanning the team.
        free: dict[str, list[Officer]] = defaultdict(list)
        for o in capacity.officers:
            if (o.username, day) not in capacity.busy:
                free[o.scope or ""].append(o)
        left = sum(len(team) for team in free.values())
        busy_desa = set(fixed_desa.get(day, ()))

        def worth(option):
            d, place, estimate = option
            extra = RETRY_TAKE * waiting.get((d.code, place), 0)
            return capped(estimate.expected + extra, remaining[pool_key(d, place)])

        for option in sorted(options, key=lambda o: (-worth(o), -gap[o[0].code])):
            d, place, estimate = option
            if left < smallest_team or worth(option) < MIN_WORTH:
                break
            if d.code in busy_desa:
                continue
            previous = last.get((d.code, place))
            if previous is not None and day - previous < revisit:
                continue
            # The narrowest-limited first: a kabupaten-wide officer stays free for elsewhere.
            scopes = [s for s in (d.code, d.kecamatan, "") if free.get(s)]
            team = model.team_size(place)
            if sum(len(free[s]) for s in scopes) < team:
                continue
            officers = []
            for scope in scopes:
                while free[scope] and len(officers) < team:
                    officers.append(free[scope].pop(0))
            left -= team
            held_waiting = waiting.get((d.code, place), 0)
            point, low, high = take(d, place, estimate, day)
            busy_desa.add(d.code)
            schedule.lines.append(
                Line(
                    day=day,
                    desa=d,
                    place=place,
                    officers=officers,
                    expected=whole(point),
                    low=whole(low),
                    high=whole(high),
                    reason=Reason(estimate, point, held_waiting),
                )
            )
    schedule.lines.sort(key=lambda x: (x.day, x.desa.kecamatan_name, x.desa.name, x.place))
    return schedule
