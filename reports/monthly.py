"""A month's report: its figures from the progress engine, the summary sentences written from
them, and what changed between two revisions.

The figures are a plain JSON-ready dict (ints, floats rounded to 2 places, ISO dates), because an
issued report stores them as they were; everything a report shows is derived from that dict.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils.translation import gettext as _

from ikd_dashboard.dates import iso_date, month_end, month_start, previous_month
from kecamatan.dashboard import charts
from kecamatan.institutions.selectors import institutions_behind
from kecamatan.models import ActivationDaily, Region
from kecamatan.outreach.report import outreach_month
from kecamatan.peers.report import peers_month
from kecamatan.plotting import for_paper
from kecamatan.progress.selectors import (
    RegionProgress,
    Trend,
    activations_between,
    milestone_status,
    progress_data_date,
    progress_figures,
    progress_for_region,
    progress_trend,
)
from kecamatan.progress.targets import target_in_force
from kecamatan.regions import region_root
from kecamatan.vocabulary import (
    denominator_title,
    month_stretches,
)

FURTHEST_BEHIND = 3  # kecamatan marked "paling tertinggal" in the ranking
DESA_WITH_LARGEST_GAPS = 10


class NoData(Exception):
    """The month has no data yet (it lies after the latest activation)."""


def report_months() -> list[dt.date]:
    """Every month from the first activation to the latest, newest first."""
    first = ActivationDaily.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return []
    months, month = [], month_start(progress_data_date())
    while month >= month_start(first):
        months.append(month)
        month = previous_month(month)
    return months


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)  # kept exact: the page and the PDF round it once, as they show it
    return value


def _iso(value):
    return value.isoformat() if value else None


def _headline(figures: dict) -> dict:
    keys = [
        "holders",
        "activated",
        "percent",
        "target_percent",
        "target_people",
        "gap_people",
        "needed_per_day",
        "needed_per_month",
        "pace_30d_per_day",
        "pace_7d_per_day",
        "milestone_people",
    ]
    return {
        **{k: _number(figures[k]) for k in keys},
        "target_deadline": _iso(figures["target_deadline"]),
        "projected_date": _iso(figures["projected_date"]),
        "milestone_status": milestone_status(figures),
    }


def report_figures(month: dt.date, region: Region | None = None) -> dict:
    """Every number of the report for `month` (a date in it), from the data as it is now: the
    kabupaten's, or with `region` a kecamatan's (its desa ranked, its segments, its outreach)."""
    month = month_start(month)
    data_date = progress_data_date()
    if month > data_date:
        raise NoData(_("Belum ada data untuk bulan ini."))
    root = region or region_root()
    end = min(month_end(month), data_date)
    before = month - dt.timedelta(days=1)  # the end of the previous month
    before_that = previous_month(month) - dt.timedelta(days=1)
    now = progress_for_region(region=root, as_of=end)
    then = progress_for_region(region=root, as_of=before)
    earlier = progress_for_region(region=root, as_of=before_that)
    trend = progress_trend(region=root, as_of=end, holders=now.totals["holders"] or 0)

    previous_by_code = {c["code"]: c for c in then.children}
    kecamatan = [
        {
            "code": c["code"],
            "name": c["name"],
            "holders": c["holders"],
            "activated": c["activated"],
            "percent": _number(c["percent"]),
            "new": (c["activated"] or 0) - (previous_by_code[c["code"]]["activated"] or 0),
            "target_people": c["target_people"],
            "gap_people": c["gap_people"],
            "needed_per_day": _number(c["needed_per_day"]),
            "needed_per_month": _number(c["needed_per_month"]),
            "pace_30d_per_day": _number(c["pace_30d_per_day"]),
            "milestone_people": c["milestone_people"],
            "milestone_status": milestone_status(c),
        }
        for c in now.children
    ]
    # Furthest behind first: the largest gap in people, as on the dashboard and in the recap.
    kecamatan.sort(key=lambda c: (-(c["gap_people"] or 0), c["percent"] or 0, c["name"]))

    # A kecamatan's own ranking already is of its desa: no second table of them.
    desa = list(
        Region.objects.filter(parent__parent=root).values_list("code", "name", "parent__name")
    )
    desa_figures = progress_figures(scope=root, as_of=end, codes=[code for code, *_ in desa])
    desa_gaps = sorted(
        (
            {
                "code": code,
                "name": name,
                "kecamatan": kecamatan_name,
                "holders": desa_figures[code]["holders"],
                "activated": desa_figures[code]["activated"],
                "percent": _number(desa_figures[code]["percent"]),
                "gap_people": desa_figures[code]["gap_people"],
            }
            for code, name, kecamatan_name in desa
            if code in desa_figures and desa_figures[code]["gap_people"]
        ),
        key=lambda d: (-d["gap_people"], d["code"]),
    )[:DESA_WITH_LARGEST_GAPS]

    activated_now = now.totals["activated"] or 0
    activated_then = then.totals["activated"] or 0
    (first, last), (previous_first, previous_last) = month_stretches(month=month, last=end)
    target = target_in_force(on=end, region=root)
    return {
        "month": month.isoformat(),
        "as_of": end.isoformat(),
        "partial": end < month_end(month),  # the month is not over yet in the data
        "region": {"code": root.code, "name": root.display_name},
        # What the ranking ranks: the kecamatan of the kabupaten, or the desa of a kecamatan.
        "scope": "" if region is None else root.code,
        "child_level": "kecamatan" if region is None else "desa",
        # What holders and every percentage are of (a report issued before bases were kept has
        # none: its figures were of KTP-el holders, vocabulary.denominator_word).
        "denominator": now.denominator,
        "totals": _headline(now.totals),
        "previous": {
            "as_of": before.isoformat(),
            "activated": activated_then,
            "percent": _number(then.totals["percent"]),
        },
        "new_this_month": activated_now - activated_then,
        "new_previous_month": activated_then - (earlier.totals["activated"] or 0),
        # The month so far against the same days of the month before (vocabulary).
        "comparison": {
            "this": [first.isoformat(), last.isoformat(), activated_now - activated_then],
            "previous": [
                previous_first.isoformat(),
                previous_last.isoformat(),
                activations_between(region=root, first=previous_first, last=previous_last),
            ],
        },
        "target": _target_basis(target),
        "points_change": _number(
            (now.totals["percent"] or Decimal(0)) - (then.totals["percent"] or Decimal(0))
        ),
        "kecamatan": kecamatan,
        "segments": [
            {
                "code": s["code"],
                "name": s["name"],
                "holders": s["holders"],
                "activated": s["activated"],
                "percent": _number(s["percent"]),
                "target_percent": _number(s["target_percent"]),
                "target_people": s["target_people"],
                "gap_people": s["gap_people"],
            }
            for s in now.segments
            if s["holders"]
        ],
        "desa_gaps": desa_gaps,
        # Reports issued before rosters were kept have no such key (templates check for it).
        "institutions": institutions_behind(as_of=end, region=region),
        "outreach": outreach_month(
            region=root,
            month=month,
            until=end,
            needed_per_month=_number(now.totals["needed_per_month"]),
        ),
        # Our rank among the province's kabupaten/kota: the kabupaten's report only.
        "peers": peers_month(until=end) if region is None else None,
        "trend": {
            "months": [m.isoformat() for m in trend.months],
            "cumulative": trend.cumulative,
            "trajectories": [
                {
                    "percent": _number(line["target"].percent),
                    "deadline": line["target"].deadline.isoformat(),
                    "start": [line["start"][0].isoformat(), line["start"][1]],
                    "end": [line["end"][0].isoformat(), line["end"][1]],
                }
                for line in trend.trajectories
            ],
        },
    }


def _target_basis(target) -> dict | None:
    """What the report's footnote says of the target: its figures, source and denominator."""
    if target is None:
        return None
    return {
        "percent": _number(target.percent),
        "valid_from": target.valid_from.isoformat(),
        "deadline": target.deadline.isoformat(),
        "source_letter": target.source_letter,
        "source_date": _iso(target.source_date),
        "denominator": target.denominator,
        "denominator_label": str(target.get_denominator_display()),
    }


CHANGE_FIELDS = ("holders", "activated", "percent", "gap_people", "target_percent")


def report_changes(before: dict, after: dict) -> list[dict]:
    """What a revision changed: headline figures, new activations, and each kecamatan's count.
    Stored as field names, so the labels follow the reader's language (see change_label)."""
    changes = [
        {"field": key, "before": before["totals"][key], "after": after["totals"][key]}
        for key in CHANGE_FIELDS
        if before["totals"].get(key) != after["totals"].get(key)
    ]
    if before["new_this_month"] != after["new_this_month"]:
        changes.append(
            {
                "field": "new_this_month",
                "before": before["new_this_month"],
                "after": after["new_this_month"],
            }
        )
    old = {k["code"]: k for k in before["kecamatan"]}
    for row in after["kecamatan"]:
        was = old.get(row["code"])
        if was and was["activated"] != row["activated"]:
            changes.append(
                {
                    "field": "activated",
                    "region": row["name"],
                    "before": was["activated"],
                    "after": row["activated"],
                }
            )
    return changes


def change_label(change: dict, denominator: str | None = None) -> str:
    labels = {
        "holders": denominator_title(denominator),
        "activated": _("Sudah aktivasi"),
        "percent": _("Capaian (%)"),
        "gap_people": _("Kekurangan (orang)"),
        "target_percent": _("Target (%)"),
        "new_this_month": _("Aktivasi baru bulan ini"),
    }
    label = labels[change["field"]]
    return f"{change['region']}: {label}" if change.get("region") else label


# --- charts ----------------------------------------------------------------------------------


def report_charts(figures: dict, *, paper: bool = False) -> dict:
    """The gap and trend charts of the dashboard, drawn from the report's own figures; with
    `paper`, laid out for the A4 PDF."""
    totals = {
        **figures["totals"],
        "target_deadline": iso_date(figures["totals"]["target_deadline"]),
    }
    progress = RegionProgress(
        region=None,
        as_of=dt.date.fromisoformat(figures["as_of"]),
        segment=None,
        computed_at=None,
        totals=totals,
        segments=[],
        children=figures["kecamatan"],
    )
    trend = Trend(
        months=[dt.date.fromisoformat(m) for m in figures["trend"]["months"]],
        cumulative=figures["trend"]["cumulative"],
        trajectories=[
            {
                "target": SimpleNamespace(
                    percent=line["percent"], deadline=dt.date.fromisoformat(line["deadline"])
                ),
                "start": (dt.date.fromisoformat(line["start"][0]), line["start"][1]),
                "end": (dt.date.fromisoformat(line["end"][0]), line["end"][1]),
            }
            for line in figures["trend"]["trajectories"]
        ],
    )
    gap, trend = charts.gap_chart(progress), charts.trend_chart(progress, trend)
    if paper:
        rows = len([k for k in figures["kecamatan"] if k["percent"] is not None])
        # Half the page wide on paper, beside the desa table (templates/reports/print.html).
        gap = for_paper(gap, height=max(180, 13 * rows + 60))
        trend = for_paper(trend, height=255)  # page 1 holds the summary, figures and this
    return {"gap": gap, "trend": trend}
