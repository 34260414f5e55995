"""The monthly report's outreach section: visits held in the month, activations from them,
yield by place type, the top failure reasons, and next month's plan against what the target
needs — a JSON-ready dict, stored with an issued report (reports/monthly.py)."""

import datetime as dt
import math

from django.db.models import Count, Q, Sum

from ikd_dashboard.dates import month_end, next_month
from ikd_dashboard.numbers import float_or_none

from ..models import Region, Visit
from .selectors import CANCELLED, in_region
from .yields import outreach_yield

TOP_REASONS = 5  # failure reasons in the report
YIELD_WINDOW_DAYS = 365


def outreach_month(
    *, region: Region, month: dt.date, until: dt.date, needed_per_month: float | None
) -> dict:
    """The monthly report's outreach section for `month` (data up to `until`): visits held,
    activations from them, yield by place type, the top failure reasons, and next month's plan
    against the visits a month the target needs at the observed yield."""
    held = outreach_yield(region=region, since=month, until=until)
    totals = held.totals
    year = outreach_yield(
        region=region, since=until - dt.timedelta(days=YIELD_WINDOW_DAYS - 1), until=until
    )
    per_visit = year.totals.per_visit
    following = next_month(month)
    in_following = Q(planned_on__gte=following, planned_on__lte=month_end(following))
    planned = (
        Visit.objects.filter(in_region(region))
        .exclude(status=CANCELLED)
        .aggregate(
            n=Count("pk", filter=in_following), expected=Sum("expected", filter=in_following)
        )
    )
    reasons = sorted(
        (r for r in held.reasons if r.people), key=lambda r: (-r.people, r.sort_order)
    )[:TOP_REASONS]
    return {
        "held": totals.visits,
        "activated": totals.activated,
        "per_visit": float_or_none(totals.per_visit),
        "per_officer_day": float_or_none(totals.per_officer_day),
        "failed": totals.failed,
        "retryable_share": float_or_none(totals.retryable_share),
        "by_place": [
            {
                "place": row.key,
                "visits": row.visits,
                "activated": row.activated,
                "per_visit": float_or_none(row.per_visit),
            }
            for row in held.rows
        ],
        "top_reasons": [
            {"code": r.code, "name": r.name, "people": r.people, "retryable": r.retryable}
            for r in reasons
        ],
        "next_month": {
            "month": following.isoformat(),
            "planned": planned["n"],
            "expected": planned["expected"] or 0,
            "per_visit_last_year": float_or_none(per_visit),
            "visits_needed": math.ceil(needed_per_month / float(per_visit))
            if needed_per_month and per_visit
            else None,
        },
    }
