"""Outreach in words and in the monthly report: the daily recap for a WhatsApp group, and the
report's outreach section (a JSON-ready dict, stored with an issued report)."""

import datetime as dt
import math

from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

from ikd_dashboard.dates import month_end, next_month

from ..models import ActivationDaily, Region, RegionClosure, Visit
from ..progress.selectors import progress_for_region
from .selectors import CANCELLED, in_region
from .yields import outreach_yield

RECAP_MAX_CHARS = 1000  # a WhatsApp message read on a phone without scrolling far
FURTHEST_BEHIND = 3
TOP_REASONS = 5  # failure reasons in the monthly report
YIELD_WINDOW_DAYS = 365


def _people(n) -> str:
    return floatformat(n or 0, "0g")


def _decimal(n, digits: int = 1) -> str:
    return floatformat(n or 0, f"{digits}g")


def recap_figures(*, region: Region, day: dt.date) -> dict:
    """What the recap of `day` says, as numbers (the text is written from these)."""
    on_day = ActivationDaily.objects.filter(
        day=day,
        region__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"),
    ).aggregate(n=Sum("people"))["n"]
    progress = progress_for_region(region=region, as_of=day)
    totals = progress.totals if progress else {}
    behind = sorted(
        (c for c in (progress.children if progress else []) if c["gap_people"]),
        key=lambda c: (-c["gap_people"], c["name"]),
    )[:FURTHEST_BEHIND]
    held = outreach_yield(region=region, since=day, until=day)
    return {
        "region": region,
        "day": day,
        "activated_on_day": on_day or 0,
        "totals": totals,
        "behind": behind,
        "yield": held,
    }


def recap_text(figures: dict) -> str:
    """The recap as plain text for a WhatsApp group, at most RECAP_MAX_CHARS characters: the
    per-place lines go first when it would be longer."""
    t = figures["totals"]
    day = figures["day"]
    held = figures["yield"]
    head = [
        _("Rekap IKD %(region)s, %(day)s")
        % {
            "region": figures["region"].display_name,
            "day": formats.date_format(day, "l, j F Y"),
        },
        "- "
        + _(
            "Aktivasi %(day)s: %(n)s orang. Total %(total)s (%(percent)s%%) dari %(holders)s "
            "pemilik KTP-el."
        )
        % {
            "day": formats.date_format(day, "j F"),
            "n": _people(figures["activated_on_day"]),
            "total": _people(t.get("activated")),
            "percent": _decimal(t.get("percent")),
            "holders": _people(t.get("holders")),
        },
    ]
    totals = held.totals
    if totals.visits:
        head.append(
            "- "
            + _(
                "Jemput bola: %(visits)s kegiatan, %(activated)s aktivasi (%(per_visit)s per "
                "kegiatan), %(failed)s gagal (%(retryable)s bisa diulang)."
            )
            % {
                "visits": _people(totals.visits),
                "activated": _people(totals.activated),
                "per_visit": _decimal(totals.per_visit, -1),  # "5", "12,3"
                "failed": _people(totals.failed),
                "retryable": _people(totals.failed_retryable),
            }
        )
    else:
        head.append("- " + _("Jemput bola: tidak ada kegiatan terlaksana."))
    places = [
        "  · "
        + _("%(place)s: %(visits)s kegiatan, %(activated)s aktivasi")
        % {"place": row.label, "visits": _people(row.visits), "activated": _people(row.activated)}
        for row in held.rows
    ]
    tail = []
    if figures["behind"]:
        tail.append(
            "- "
            + _("Paling tertinggal: %(list)s.")
            % {
                "list": "; ".join(
                    _("%(name)s kurang %(gap)s")
                    % {"name": c["name"], "gap": _people(c["gap_people"])}
                    for c in figures["behind"]
                )
            }
        )
    if t.get("target_percent") is not None:
        tail.append(
            "- "
            + _("Kekurangan: %(gap)s orang lagi untuk target %(target)s%% pada %(deadline)s.")
            % {
                "gap": _people(t.get("gap_people")),
                "target": _decimal(t["target_percent"], 0),
                "deadline": formats.date_format(t["target_deadline"], "DATE_FORMAT"),
            }
        )
    while places and len("\n".join(head + places + tail)) > RECAP_MAX_CHARS:
        places.pop()
    return "\n".join(head + places + tail)[:RECAP_MAX_CHARS]


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
        "per_visit": _float(totals.per_visit),
        "per_officer_day": _float(totals.per_officer_day),
        "failed": totals.failed,
        "retryable_share": _float(totals.retryable_share),
        "by_place": [
            {
                "place": row.key,
                "visits": row.visits,
                "activated": row.activated,
                "per_visit": _float(row.per_visit),
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
            "per_visit_last_year": _float(per_visit),
            "visits_needed": math.ceil(needed_per_month / float(per_visit))
            if needed_per_month and per_visit
            else None,
        },
    }


def _float(value) -> float | None:
    return None if value is None else float(value)
