"""Outreach pages about figures: what each kind of visit yields, where to go next (and its draft
schedule), the plan against the target, reported vs recorded, the calendar, the daily recap.
Region and period come from the URL, as on the dashboard."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ikd_dashboard.dates import today_jakarta
from ikd_dashboard.spreadsheets import CONTENT_TYPES, download_response

from ..accounts.access import outreach_reader_required, user_may_record_visits, visits_for_user
from ..exports import export_metadata, percent_basis, region_label
from ..progress.selectors import progress_latest_as_of
from ..progress.targets import denominator_on
from . import charts
from .forms import OutreachFilterForm, PlanForm, date_field
from .plan import (
    accept_draft,
    draft_rows,
    forecast_sentences,
    outreach_plan,
    track_record_words,
)
from .planning import YIELD_WINDOW_DAYS, next_rows, where_next
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
    rows = next_rows(items)
    as_of = progress_latest_as_of()  # the day the gaps are computed for
    return download_response(
        file_format=file_format,
        title=_("Tujuan"),
        rows=rows,
        metadata=_outreach_metadata(
            title=_("Tujuan"), region=form.region, as_of=as_of, header=rows[0]
        ),
        stem=f"tujuan-jemput-bola-{form.region.code}-{reference:%Y-%m-%d}",
    )


def _outreach_metadata(*, title, region, as_of, header) -> list[tuple]:
    return export_metadata(
        title=title,
        region=region_label(region),
        as_of=as_of,
        basis=percent_basis(denominator_on(as_of) if as_of else None),
        header=header,
    )


def _plan(request):
    form = _with_region(PlanForm(request.GET, user=request.user))
    plan = outreach_plan(
        region=form.region,
        as_of=outreach_as_of(),
        weeks=form.weeks,
        officers=form.officers,
        days_per_week=form.days_per_week,
    )
    return form, plan


@outreach_reader_required
def plan_page(request):
    form, plan = _plan(request)
    if request.method == "POST":
        if not user_may_record_visits(request.user) or plan.what_if:
            raise PermissionDenied
        added, kept = accept_draft(plan=plan, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)s kegiatan ditambahkan ke rencana.",
                "%(n)s kegiatan ditambahkan ke rencana.",
                added,
            )
            % {"n": added}
            + (" " + _("%(n)s sudah ada sebelumnya.") % {"n": kept} if kept else ""),
        )
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    return render(
        request,
        "outreach/plan.html",
        {
            "form": form,
            "plan": plan,
            "forecast": plan.forecast,
            "sentences": forecast_sentences(plan),
            "chart": charts.forecast_chart(plan),
            "may_accept": user_may_record_visits(request.user) and not plan.what_if,
            "real_officers": sum(o.real for o in plan.capacity.officers),
            "track_record": track_record_words(plan.forecast),
            "query": request.GET.urlencode(),
        },
    )


@outreach_reader_required
def plan_download(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    form, plan = _plan(request)
    rows = draft_rows(plan)
    return download_response(
        file_format=file_format,
        title=_("Rencana"),
        rows=rows,
        metadata=_outreach_metadata(
            title=_("Rencana"),
            region=form.region,
            as_of=plan.as_of,
            header=rows[0],
        ),
        stem=f"rencana-jemput-bola-{form.region.code}-{plan.first:%Y-%m-%d}",
    )


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
