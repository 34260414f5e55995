"""JSON API v1 for the plan: the draft schedule and the forecast to the deadline (docs/api.md).

`as_of` gives the plan as it would have been made on that day, from the activations and the
visits up to it: the backtest's own entry point (bench/bench_forecast.py).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import APIView

from ikd_dashboard.numbers import rounded_float

from .api import BadQuery, OutreachPermission, _date, _iso, _refusal, _region
from .forecast import MAX_OFFICERS
from .plan import DEFAULT_WEEKS, MAX_WEEKS, Plan, outreach_plan
from .selectors import outreach_as_of


def _number(request, name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.query_params.get(name)
    if text in (None, ""):
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadQuery(_("%(name)s harus bilangan bulat.") % {"name": name}) from None
    if not low <= value <= high:
        raise BadQuery(
            _("%(name)s harus antara %(low)s dan %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


def plan_json(plan: Plan) -> dict:
    f = plan.forecast
    return {
        "region": plan.region.code,
        "as_of": plan.as_of.isoformat(),
        "from": plan.first.isoformat(),
        "weeks": plan.weeks,
        "days_per_week": plan.days_per_week,
        "capacity": {
            "officers": len(plan.capacity.officers),
            "officer_days": plan.capacity.officer_days,
            "visits": plan.draft_visits,
        },
        "visits": [
            {
                "date": line.day.isoformat(),
                "region": line.desa.code,
                "place": line.place,
                "officers": [o.username for o in line.officers],
                "expected": line.expected,
                "expected_low": line.low,
                "expected_high": line.high,
                "planned": line.fixed,
                "why": line.why,
            }
            for line in plan.draft
        ],
        "expected_total": plan.expected_total,
        "forecast": None
        if f is None
        else {
            "deadline": f.deadline.isoformat(),
            "activated": f.activated,
            "low": f.low,
            "high": f.high,
            "percent": rounded_float(f.percent_of(f.activated)),
            "percent_low": rounded_float(f.percent_of(f.low)),
            "percent_high": rounded_float(f.percent_of(f.high)),
            "target_percent": f.target_percent,
            "target_people": f.target_people,
            "organic_per_day": round(f.organic_per_day, 2),
            "plan_full": f.activated_now + f.organic + f.plan_full,
            "team_use": round(f.team_use, 4),
            "yield_realism": round(f.yield_realism, 4),
            "straight_line": f.activated_now + f.straight_line,
            "reaches_target_on": _iso(f.reaches_target_on),
            "officers_needed": f.officers_needed,
            "yield_multiple_needed": None
            if f.yield_multiple_needed is None
            else round(f.yield_multiple_needed, 2),
        },
    }


class PlanView(APIView):
    permission_classes = [OutreachPermission]

    def get(self, request):
        try:
            region = _region(request)
            latest = outreach_as_of()
            as_of = _date(request, "as_of") or latest
            if as_of > latest:
                raise BadQuery(
                    _("as_of tidak boleh sesudah tanggal data %(day)s.") % {"day": latest}
                )
            weeks = _number(request, "weeks", DEFAULT_WEEKS, 1, MAX_WEEKS)
            officers = _number(request, "officers", None, 1, MAX_OFFICERS)
            days_per_week = _number(request, "days_per_week", 5, 5, 6)
        except (Http404, BadQuery) as error:
            return _refusal(error, request)
        plan = outreach_plan(
            region=region,
            as_of=as_of,
            weeks=weeks,
            officers=officers,
            days_per_week=days_per_week,
        )
        return Response(plan_json(plan))
