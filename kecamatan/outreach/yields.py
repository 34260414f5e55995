"""What each kind of visit yields: per place type or per kecamatan, over a period — visits held,
people activated, per visit and per officer-day, failures by reason and the share retryable.

Three GROUP BY queries and one for the reasons, whatever the number of visits or regions.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from ikd_dashboard.numbers import rounded_float

from ..formulas import exact
from ..models import FailureReason, Region, Visit, VisitFailure
from .selectors import HELD, in_region

# Group keys: the place type, or the region one level below the one asked about.
BY_PLACE = "place"


@dataclass
class YieldRow:
    key: str
    label: str
    visits: int = 0
    activated: int = 0
    officer_days: int = 0
    failed: int = 0
    failed_retryable: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def per_visit(self) -> Decimal | None:
        return ratio(self.activated, self.visits)

    @property
    def per_officer_day(self) -> Decimal | None:
        return ratio(self.activated, self.officer_days)

    @property
    def retryable_share(self) -> Decimal | None:
        """Percent of the people who failed whose reason a second visit can solve."""
        share = ratio(self.failed_retryable * 100, self.failed)
        return share

    def as_json(self) -> dict:
        return {
            "visits": self.visits,
            "activated": self.activated,
            "per_visit": rounded_float(self.per_visit),
            "officer_days": self.officer_days,
            "per_officer_day": rounded_float(self.per_officer_day),
            "failed": self.failed,
            "failed_retryable": self.failed_retryable,
            "retryable_share": rounded_float(self.retryable_share),
            "failed_by_reason": self.failed_by_reason,
        }


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole, kept exact (formulas.exact) and rounded where shown; None for nothing."""
    return exact(part, whole) if whole else None


@dataclass
class Yield:
    rows: list[YieldRow]
    totals: YieldRow
    reasons: list[FailureReason]  # in the office's order, with `people` (all rows) on each


def held_visits(*, region: Region, since: dt.date | None, until: dt.date | None) -> QuerySet:
    visits = Visit.objects.filter(in_region(region), status=HELD)
    if since:
        visits = visits.filter(held_on__gte=since)
    if until:
        visits = visits.filter(held_on__lte=until)
    return visits


def child_key(region: Region) -> str:
    """The lookup from a visit to the child of `region` it lies in (a visit is at a desa)."""
    levels_down = Region.DEPTHS["desa"] - region.depth
    return "region_id" if levels_down <= 1 else "region" + "__parent" * (levels_down - 1) + "_id"


def outreach_yield(
    *, region: Region, since: dt.date | None, until: dt.date | None, by: str = BY_PLACE
) -> Yield:
    """Yield of the held visits in `region` between `since` and `until` (inclusive), per place
    type (`by="place"`) or per child region (`by="region"`)."""
    visits = held_visits(region=region, since=since, until=until)
    key = BY_PLACE if by == BY_PLACE else child_key(region)
    labels = _labels(region, by)
    rows: dict[str, YieldRow] = {}

    def row(value) -> YieldRow:
        value = str(value)
        if value not in rows:
            rows[value] = YieldRow(key=value, label=labels.get(value, value))
        return rows[value]

    for r in visits.values(key).annotate(n=Count("pk"), people=Sum("activated")):
        target = row(r[key])
        target.visits, target.activated = r["n"], r["people"] or 0
    officer_links = Visit.officers.through.objects.filter(visit__in=visits.values("pk"))
    for r in officer_links.values(f"visit__{key}").annotate(n=Count("pk")):
        row(r[f"visit__{key}"]).officer_days = r["n"]
    reasons = list(FailureReason.objects.all())
    retryable = {r.code for r in reasons if r.retryable}
    failures = VisitFailure.objects.filter(visit__in=visits.values("pk"))
    per_reason: dict[str, int] = {}
    for r in failures.values(f"visit__{key}", "reason_id").annotate(n=Sum("people")):
        target = row(r[f"visit__{key}"])
        target.failed_by_reason[r["reason_id"]] = r["n"]
        target.failed += r["n"]
        target.failed_retryable += r["n"] if r["reason_id"] in retryable else 0
        per_reason[r["reason_id"]] = per_reason.get(r["reason_id"], 0) + r["n"]
    listed = sorted(rows.values(), key=lambda y: (-(y.per_visit or 0), -y.visits, y.label))
    totals = YieldRow(key="", label="")
    for y in listed:
        totals.visits += y.visits
        totals.activated += y.activated
        totals.officer_days += y.officer_days
        totals.failed += y.failed
        totals.failed_retryable += y.failed_retryable
    totals.failed_by_reason = per_reason
    for reason in reasons:
        reason.people = per_reason.get(reason.code, 0)
    return Yield(rows=listed, totals=totals, reasons=reasons)


def _labels(region: Region, by: str) -> dict[str, str]:
    if by == BY_PLACE:
        return {value: str(label) for value, label in Visit.Place.choices}
    children = Region.objects.filter(parent=region) if region.depth < 4 else [region]
    return {r.code: r.name for r in children}
