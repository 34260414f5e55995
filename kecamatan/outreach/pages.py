"""Outreach pages about figures: what each kind of visit yields, where to go next (and its draft
schedule), the plan against the target, reported vs recorded, the calendar, the daily recap.
Region and period come from the URL, as on the dashboard."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ikd_dashboard.dates import today_jakarta
from ikd_dashboard.spreadsheets import CONTENT_TYPES, csv_bytes, workbook_bytes

from ..accounts.access import outreach_reader_required, visits_for_user
from ..progress.selectors import progress_latest_as_of
from . import charts
from .forms import OutreachFilterForm, date_field
from .planning import YIELD_WINDOW_DAYS, outreach_plan, schedule_rows, where_next
from .recap import RECAP_MAX_CHARS, recap_figures, recap_text
from .reconcile import reported_vs_recorded
from .selectors import (
    calendar_week,
    in_region,
    nearest_week_with_visits,
    outreach_as_of,
    week_start,
)
from .yields import BY_PLACE, outreach_yield

NEXT_SIZES = (10, 20, 50, 0)  # 0: all
RECONCILE_DAYS = 30


def _filters(request, *, days: int | None = None) -> tuple[OutreachFilterForm, dt.date]:
    reference = outreach_as_of()
    since = reference - dt.timedelta(days=days - 1) if days else None
    form = OutreachFilterForm(
        request.GET, user=request.user, default_since=since, default_until=reference
    )
    return _with_region(form), reference


def _with_region(form: OutreachFilterForm) -> OutreachFilterForm:
    if form.region is None:  # no region tree loaded yet
        raise Http404(_("Belum ada data wilayah."))
    return form


@outreach_reader_required
def yield_page(request):
    form, reference = _filters(request, days=YIELD_WINDOW_DAYS)
    by_place = outreach_yield(region=form.region, since=form.since, until=form.until)
    by_region = outreach_yield(region=form.region, since=form.since, until=form.until, by="region")
    return render(
        request,
        "outreach/yield.html",
        {
            "form": form,
            "reference": reference,
            "by_place": by_place,
            "by_region": by_region,
            "yield_chart": charts.yield_chart(by_place.rows),
            "reasons_chart": charts.reasons_chart(by_place.reasons),
            "by_place_key": BY_PLACE,
        },
    )


def _next_items(request):
    form, reference = _filters(request)
    try:
        size = int(request.GET.get("n", NEXT_SIZES[1]))
    except ValueError:
        size = NEXT_SIZES[1]
    size = size if size in NEXT_SIZES else NEXT_SIZES[1]
    items = where_next(region=form.region, reference=reference, n=size or None)
    return form, reference, size, items


@outreach_reader_required
def next_page(request):
    form, reference, size, items = _next_items(request)
    return render(
        request,
        "outreach/next.html",
        {
            "form": form,
            "reference": reference,
            "items": items,
            "size": size,
            "sizes": NEXT_SIZES,
            "long_ago": 90,
            "query": request.GET.urlencode(),
            "data_as_of": progress_latest_as_of(),  # the day the gaps are computed for
        },
    )


@outreach_reader_required
def next_download(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    form, reference, _size, items = _next_items(request)
    rows = schedule_rows(items, reference=reference)
    body = csv_bytes(rows) if file_format == "csv" else workbook_bytes({_("Jadwal"): rows})
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    name = f"jadwal-jemput-bola-{form.region.code}-{reference:%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@outreach_reader_required
def plan_page(request):
    form, reference = _filters(request)
    plan = outreach_plan(region=form.region, reference=reference)
    return render(request, "outreach/plan.html", {"form": form, "reference": reference, **plan})


@outreach_reader_required
def reconcile_page(request):
    form, reference = _filters(request, days=RECONCILE_DAYS)
    result = reported_vs_recorded(region=form.region, since=form.since, until=form.until)
    return render(
        request, "outreach/reconcile.html", {"form": form, "reference": reference, **result}
    )


class WeekForm(OutreachFilterForm):
    minggu = date_field(_("Minggu"), required=False)


@outreach_reader_required
def calendar_page(request):
    form = _with_region(WeekForm(request.GET, user=request.user))
    monday = week_start(form.value("minggu") or today_jakarta())
    form.show_dates(minggu=monday)
    per = "petugas" if request.GET.get("per") == "petugas" else "kecamatan"
    visits = visits_for_user(request.user).filter(in_region(form.region))
    week = calendar_week(visits=visits, monday=monday, per=per)
    by_id = {v.pk: v for v in week.visits}
    query = request.GET.copy()
    query.pop("minggu", None)
    return render(
        request,
        "outreach/calendar.html",
        {
            "form": form,
            "week": week,
            "days": [(day, [v for v in week.visits if v.day == day]) for day in week.days],
            "warnings": [
                {"booking": b, "visits": [by_id[pk] for pk in b.visit_ids]} for b in week.bookings
            ],
            "clashing": {pk for b in week.bookings for pk in b.visit_ids},
            "per": per,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "nearest": None if week.visits else nearest_week_with_visits(visits, monday=monday),
            "query": query.urlencode(),
        },
    )


class RecapForm(OutreachFilterForm):
    tanggal = date_field(_("Tanggal"), required=False)


@outreach_reader_required
def recap_page(request):
    form = _with_region(RecapForm(request.GET, user=request.user))
    # The recap is sent in the morning about the day before, or the data date when no file
    # has reached yesterday yet.
    day = form.value("tanggal") or min(outreach_as_of(), today_jakarta() - dt.timedelta(days=1))
    form.show_dates(tanggal=day)
    figures = recap_figures(region=form.region, day=day)
    text = recap_text(figures)
    return render(
        request,
        "outreach/recap.html",
        {"form": form, "day": day, "text": text, "limit": RECAP_MAX_CHARS},
    )
