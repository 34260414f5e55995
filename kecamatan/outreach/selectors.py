"""What the outreach pages and the API read: visits in a region and period, the day the
outreach figures run to, a week of the calendar and the officers booked twice on a day."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from ikd_dashboard.dates import today_jakarta

from ..models import Region, RegionClosure, Visit
from ..progress.selectors import progress_data_date

HELD = Visit.Status.HELD
CANCELLED = Visit.Status.CANCELLED


def in_region(region: Region) -> Q:
    """Visits at a desa in `region` (itself included), through the closure table."""
    return Q(region__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"))


def visits_with_day(visits: QuerySet) -> QuerySet:
    """Visits with `day`: when held, else when planned."""
    return visits.annotate(day=Coalesce("held_on", "planned_on"))


def visits_filtered(
    visits: QuerySet,
    *,
    region: Region | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    status: str | None = None,
    place: str | None = None,
) -> QuerySet:
    """The visits of a list or the API: in a region, a period (by their day), a status, a place
    type; newest first, with what the list shows."""
    visits = visits_with_day(visits)
    if region is not None:
        visits = visits.filter(in_region(region))
    if since:
        visits = visits.filter(day__gte=since)
    if until:
        visits = visits.filter(day__lte=until)
    if status:
        visits = visits.filter(status=status)
    if place:
        visits = visits.filter(place=place)
    return (
        visits.select_related("region__parent")
        .prefetch_related("officers", "failures")
        .order_by("-day", "-pk")
    )


def outreach_as_of() -> dt.date:
    """The day outreach figures run to by default: the data date ("data lengkap s.d."), as on
    the dashboard, never after today.

    A visit entered today is not yet in any file: ending the period today would compare it with
    nothing and show the upload's lag as over-reporting, and cut the draft schedule short. For
    data that stop (the demo's 9 April 2025) the pages stay on that day.
    """
    return min(progress_data_date(), today_jakarta())


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in."""
    return day - dt.timedelta(days=day.weekday())


@dataclass
class DoubleBooking:
    officer: str  # the officer's name as the calendar shows it
    username: str
    day: dt.date
    visit_ids: list[int]


def double_bookings(visits: QuerySet) -> list[DoubleBooking]:
    """Officers with more than one visit (not cancelled) on the same day among `visits`: one
    GROUP BY over the officer links."""
    links = Visit.officers.through.objects.filter(
        visit__in=visits.exclude(status=CANCELLED).values("pk")
    ).annotate(day=Coalesce("visit__held_on", "visit__planned_on"))
    clashes = list(
        links.values("user_id", "day", "user__username", "user__first_name", "user__last_name")
        .annotate(n=Count("visit_id"))
        .filter(n__gt=1)
        .order_by("day", "user__username")
    )
    if not clashes:
        return []
    wanted = Q()
    for clash in clashes:
        wanted |= Q(user_id=clash["user_id"], day=clash["day"])
    ids: dict[tuple, list[int]] = {}
    for user_id, day, visit_id in links.filter(wanted).values_list("user_id", "day", "visit_id"):
        ids.setdefault((user_id, day), []).append(visit_id)
    return [
        DoubleBooking(
            officer=officer_name(c["user__username"], c["user__first_name"], c["user__last_name"]),
            username=c["user__username"],
            day=c["day"],
            visit_ids=sorted(ids[(c["user_id"], c["day"])]),
        )
        for c in clashes
    ]


def officer_name(username: str, first: str = "", last: str = "") -> str:
    """`Sri Lestari` when the account has a name, else its username."""
    return f"{first} {last}".strip() or username


def visit_double_bookings(visit: Visit) -> list[DoubleBooking]:
    """The double bookings a visit takes part in (for the warning after it is saved)."""
    if visit.status == CANCELLED:
        return []
    same_day = visits_with_day(Visit.objects.all()).filter(
        day=visit.held_on or visit.planned_on, officers__in=visit.officers.all()
    )
    return [b for b in double_bookings(same_day.distinct()) if visit.pk in b.visit_ids]


@dataclass
class CalendarWeek:
    monday: dt.date
    days: list[dt.date]
    visits: list[Visit]  # with `day`, officers prefetched
    rows: list[dict]  # {"label", "cells": [[visit, …] per day]} per kecamatan or officer
    bookings: list[DoubleBooking]


def calendar_week(*, visits: QuerySet, monday: dt.date, per: str = "kecamatan") -> CalendarWeek:
    """The week from `monday`: its visits (not cancelled) by day, in rows per kecamatan or per
    officer, and the officers booked twice on a day."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    week = visits_with_day(visits).filter(day__gte=days[0], day__lte=days[-1])
    week = week.exclude(status=CANCELLED)
    listed = list(
        week.select_related("region__parent")
        .prefetch_related("officers")
        .annotate(kecamatan=F("region__parent__name"))
        .order_by("day", "region__parent__name", "location", "pk")
    )
    rows: dict[str, list[list[Visit]]] = {}
    for visit in listed:
        if per == "petugas":
            labels = [
                officer_name(o.username, o.first_name, o.last_name) for o in visit.officers.all()
            ]
        else:
            labels = [visit.kecamatan or visit.region.name]
        for label in labels or ["—"]:
            rows.setdefault(label, [[] for _ in days])[(visit.day - monday).days].append(visit)
    return CalendarWeek(
        monday=monday,
        days=days,
        visits=listed,
        rows=[{"label": label, "cells": cells} for label, cells in sorted(rows.items())],
        bookings=double_bookings(week),
    )


def nearest_week_with_visits(visits: QuerySet, *, monday: dt.date) -> dt.date | None:
    """The Monday of the nearest week (after, else before) that has a visit, for an empty week."""
    dated = visits_with_day(visits).exclude(status=CANCELLED)
    after = dated.filter(day__gte=monday).order_by("day").values_list("day", flat=True).first()
    if after is None:
        after = dated.filter(day__lt=monday).order_by("-day").values_list("day", flat=True).first()
    return week_start(after) if after else None
