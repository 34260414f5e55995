"""Outreach in words and in the monthly report: the daily recap for a WhatsApp group, and the
report's outreach section (a JSON-ready dict, stored with an issued report)."""

import datetime as dt
import math

from django.db.models import Count, Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ikd_dashboard.dates import month_end, next_month

from ..models import ActivationDaily, Region, RegionClosure, Visit
from ..progress.selectors import progress_data_date, progress_for_region
from ..progress.vocabulary import (
    format_day,
    format_people,
    format_percent,
    format_target,
    format_yield,
    milestone_sentence,
    projection_of,
)
from .selectors import CANCELLED, in_region
from .yields import outreach_yield

RECAP_MAX_CHARS = 1000  # a WhatsApp message read on a phone without scrolling far
FURTHEST_BEHIND = 3
TOP_REASONS = 5  # failure reasons in the monthly report
YIELD_WINDOW_DAYS = 365


def recap_figures(*, region: Region, day: dt.date) -> dict:
    """What the recap of `day` says, as numbers (the text is written from these). The progress
    figures run to the data date, "data lengkap s.d." (progress.datadate), when `day` lies beyond
    it: a day only some kecamatan have reported is not yet the kabupaten's day."""
    on_day = ActivationDaily.objects.filter(
        day=day,
        region__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"),
    ).aggregate(n=Sum("people"))["n"]
    data_date = progress_data_date()
    as_of = min(day, data_date)
    progress = progress_for_region(region=region, as_of=as_of)
    totals = progress.totals if progress else {}
    behind = sorted(
        (c for c in (progress.children if progress else []) if c["gap_people"]),
        key=lambda c: (-c["gap_people"], c["name"]),
    )[:FURTHEST_BEHIND]
    held = outreach_yield(region=region, since=day, until=day)
    return {
        "region": region,
        "day": day,
        "as_of": as_of,
        "complete": as_of == data_date,  # the figures run to the data date itself
        "day_reported": day <= data_date,  # every kecamatan has reported the day
        "activated_on_day": on_day or 0,
        "totals": totals,
        "behind": behind,
        "yield": held,
    }


# When the recap is too long, lines go in this order: the places (the last first), where the
# pace leads, then the milestone; what is left is cut at RECAP_MAX_CHARS.
PLACE, PROJECTION, MILESTONE, KEEP = 3, 2, 1, 0


def _progress_lines(figures: dict) -> list[tuple[str, int]]:
    """Where the region stands, in the vocabulary of the dashboard and the report."""
    t = figures["totals"]
    if t.get("percent") is None:
        return []
    when = _("data lengkap s.d. %(date)s") if figures["complete"] else _("data per %(date)s")
    lines = [
        (
            _("Capaian %(percent)s: %(activated)s dari %(holders)s pemilik KTP-el (%(when)s).")
            % {
                "percent": format_percent(t["percent"]),
                "activated": format_people(t["activated"]),
                "holders": format_people(t["holders"]),
                "when": when % {"date": format_day(figures["as_of"])},
            },
            KEEP,
        )
    ]
    if t.get("gap_people"):
        lines.append((milestone_sentence(t, as_of=figures["as_of"]), MILESTONE))
    return lines


def _outreach_lines(held) -> list[tuple[str, int]]:
    """The day's visits and what they yielded, in total and per place type."""
    totals = held.totals
    if not totals.visits:
        return [(_("Jemput bola: tidak ada kegiatan terlaksana."), KEEP)]
    line = ngettext(
        "Jemput bola: %(visits)s kegiatan, %(activated)s aktivasi (%(per_visit)s per "
        "kegiatan), %(failed)s gagal (%(retryable)s bisa diulang).",
        "Jemput bola: %(visits)s kegiatan, %(activated)s aktivasi (%(per_visit)s per "
        "kegiatan), %(failed)s gagal (%(retryable)s bisa diulang).",
        totals.visits,
    ) % {
        "visits": format_people(totals.visits),
        "activated": format_people(totals.activated),
        "per_visit": format_yield(totals.per_visit),
        "failed": format_people(totals.failed),
        "retryable": format_people(totals.failed_retryable),
    }
    places = [
        ngettext(
            "%(place)s: %(visits)s kegiatan, %(activated)s aktivasi",
            "%(place)s: %(visits)s kegiatan, %(activated)s aktivasi",
            row.visits,
        )
        % {
            "place": row.label,
            "visits": format_people(row.visits),
            "activated": format_people(row.activated),
        }
        for row in held.rows
    ]
    return [(line, KEEP), *((f"  · {place}", PLACE) for place in places)]


def _gap_lines(figures: dict) -> list[tuple[str, int]]:
    """The gap, where it is largest, and where the current pace leads."""
    t = figures["totals"]
    if t.get("target_percent") is None:
        return []
    line = _("Kekurangan: %(gap)s orang lagi untuk target %(target)s pada %(deadline)s") % {
        "gap": format_people(t.get("gap_people")),
        "target": format_target(t["target_percent"]),
        "deadline": format_day(t["target_deadline"]),
    }
    if figures["behind"]:
        line += _("; terbesar di %(list)s") % {
            "list": ", ".join(
                f"{c['name']} ({format_people(c['gap_people'])})" for c in figures["behind"]
            )
        }
    return [(line + ".", KEEP), (projection_of(t).sentence, PROJECTION)]


def recap_text(figures: dict) -> str:
    """The recap as plain text for a WhatsApp group, at most RECAP_MAX_CHARS characters: the
    per-place lines go first when it would be longer, then the projection and the milestone."""
    day = figures["day"]
    on_day = _("Aktivasi %(day)s: %(n)s orang.") % {
        "day": formats.date_format(day, "j F"),
        "n": format_people(figures["activated_on_day"]),
    }
    if not figures["day_reported"]:
        on_day = on_day[:-1] + _(" (belum semua kecamatan melapor).")
    title = _("Rekap IKD %(region)s, %(day)s") % {
        "region": figures["region"].display_name,
        "day": formats.date_format(day, "l, j F Y"),
    }
    lines = [
        (on_day, KEEP),
        *_progress_lines(figures),
        *_outreach_lines(figures["yield"]),
        *_gap_lines(figures),
    ]
    lines = [(line if line.startswith("  ") else f"- {line}", rank) for line, rank in lines if line]

    def text() -> str:
        return "\n".join([title, *(line for line, _rank in lines)])

    while len(text()) > RECAP_MAX_CHARS and any(rank for _line, rank in lines):
        last = max(range(len(lines)), key=lambda i: (lines[i][1], i))
        del lines[last]
    return text()[:RECAP_MAX_CHARS]


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
