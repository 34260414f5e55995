"""Who can go out, and when: the team a plan may book.

The active Petugas of the region (each where their account is limited to, or anywhere), on the
working days of the period (Monday to Friday, or to Saturday when the office says so, less the
holidays an Admin keeps), less the days each is away, less the days already booked by visits
planned or asked for by letter — those stay as they are, as fixed commitments.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from ..accounts.roles import PETUGAS
from ..models import Holiday, OfficerAbsence, Region, Visit
from .selectors import in_region


@dataclass(frozen=True)
class Officer:
    username: str
    name: str
    scope: str | None  # the region code the officer is limited to; None: the whole kabupaten
    real: bool = True

    def covers(self, code: str) -> bool:
        """Kemendagri codes nest by prefix: 33.11.01 holds 33.11.01.2001."""
        return self.scope is None or code == self.scope or code.startswith(self.scope + ".")


@dataclass
class Capacity:
    days: list[dt.date]
    officers: list[Officer]
    busy: set[tuple[str, dt.date]] = field(default_factory=set)  # (username, day) unavailable
    commitments: list[Visit] = field(default_factory=list)  # planned visits in the period

    @property
    def officer_days(self) -> int:
        return sum(
            1 for day in self.days for o in self.officers if (o.username, day) not in self.busy
        )


def working_days(first: dt.date, last: dt.date, *, days_per_week: int = 5) -> list[dt.date]:
    """Days from `first` to `last` (inclusive) that are working days: the first
    `days_per_week` days of the week, not a holiday."""
    holidays = set(
        Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
    )
    days, day = [], first
    while day <= last:
        if day.weekday() < days_per_week and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def region_officers(region: Region) -> list[Officer]:
    """The active Petugas who may work in `region`: those limited to it, to a region inside
    it or to one holding it, and those not limited at all."""
    users = (
        User.objects.filter(groups__name=PETUGAS, is_active=True)
        .select_related("scope")
        .order_by("username")
    )
    officers = []
    for user in users:
        scope = getattr(user, "scope", None)
        officer = Officer(
            user.username, user.get_full_name() or user.username, scope.region_id if scope else None
        )
        # Limited to the region or one holding it (covers), or to a region inside it.
        if officer.covers(region.code) or officer.scope.startswith(region.code + "."):
            officers.append(officer)
    return officers


def as_if(officers: list[Officer], n: int) -> list[Officer]:
    """ "As if we had n officers": the real ones first, then `petugas-k` who can go anywhere."""
    named = officers[:n]
    extra = range(len(named) + 1, n + 1)
    return named + [Officer(f"petugas-{k}", f"petugas-{k}", None, real=False) for k in extra]


def capacity_for(
    *, region: Region, first: dt.date, last: dt.date, days_per_week: int = 5
) -> Capacity:
    """The real team's capacity from `first` to `last`; `as_if` makes a what-if of it (the
    days an officer cannot go hold for real ones only: `petugas-k` is free every day)."""
    team = region_officers(region)
    days = working_days(first, last, days_per_week=days_per_week)
    names = {o.username for o in team}
    busy: set[tuple[str, dt.date]] = set()
    absences = OfficerAbsence.objects.filter(
        officer__username__in=names, start__lte=last, end__gte=first
    ).values_list("officer__username", "start", "end")
    for username, start, end in absences:
        busy.update((username, day) for day in days if start <= day <= end)
    commitments = list(
        Visit.objects.filter(
            in_region(region),
            status=Visit.Status.PLANNED,
            planned_on__gte=first,
            planned_on__lte=last,
        )
        .select_related("region")
        .prefetch_related("officers")
        .order_by("planned_on", "pk")
    )
    for visit in commitments:
        busy.update((o.username, visit.planned_on) for o in visit.officers.all())
    return Capacity(days=days, officers=team, busy=busy, commitments=commitments)
