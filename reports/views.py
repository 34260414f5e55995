"""The monthly report pages: the list of months, a month's report, its files, issuing.

An account limited to a kecamatan (a camat) reads its kecamatan's report — its desa ranked,
its segments, its outreach — never the kabupaten's."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ikd_dashboard.bounds import IKD_START
from ikd_dashboard.chromium import PdfUnavailable
from ikd_dashboard.dates import today_jakarta
from kecamatan.accounts.access import user_scope, whole_kabupaten_admin_required
from kecamatan.pagecache import TIMEOUT_SECONDS, page_key, pages_generation
from kecamatan.progress.disclosure import report_figures_for_viewer, sees_small_counts

from .issue import (
    month_label,
    report_context,
    report_file_name,
    report_issue_with_camats,
    report_pdf,
    report_xlsx,
)
from .models import MonthlyReport
from .monthly import NoData, report_figures, report_months
from .pdfs import PdfBusy, report_pdf_stored, report_pdf_version

REASON_MAX = MonthlyReport._meta.get_field("reason").max_length
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _scope(request) -> str:
    """Whose reports the reader gets: "" (the kabupaten's) or their kecamatan's code."""
    region = user_scope(request.user)
    return region.code if region else ""


@login_required
def report_list(request):
    latest = {}
    issued = MonthlyReport.objects.filter(scope=_scope(request)).defer("pdf", "figures")
    for report in issued.order_by("month", "revision"):
        latest[report.month] = report
    rows = [{"month": month, "report": latest.get(month)} for month in report_months()]
    return render(request, "reports/list.html", {"rows": rows})


def _first_day(year: int, month: int) -> dt.date:
    """The month asked for, or 404: a month that does not exist, or lies before IKD or after the
    data (no report can be about it)."""
    try:
        first_day = dt.date(year, month, 1)
    except (ValueError, OverflowError):
        raise Http404(_("Bulan tidak dikenal.")) from None
    if not IKD_START <= first_day <= today_jakarta():
        raise Http404(_("Tidak ada laporan untuk bulan ini."))
    return first_day


def _selected(request, first_day: dt.date):
    """The revision asked for (?revisi=n), else the latest; with the one before it."""
    issued = MonthlyReport.objects.filter(month=first_day, scope=_scope(request))
    revisions = list(issued.order_by("revision"))
    if not revisions:
        return None, None, revisions
    wanted = request.GET.get("revisi")
    chosen = next((r for r in revisions if str(r.revision) == wanted), revisions[-1])
    previous = next((r for r in reversed(revisions) if r.revision < chosen.revision), None)
    return chosen, previous, revisions


def _context(request, first_day: dt.date) -> dict:
    report, previous, revisions = _selected(request, first_day)
    figures = report.figures if report is not None else _draft_figures(request, first_day)
    figures = report_figures_for_viewer(figures, user=request.user)
    context = report_context(figures=figures, report=report, previous=previous)
    context["revisions"] = revisions
    return context


def _draft_figures(request, first_day: dt.date) -> dict:
    """A draft's figures (four live queries, about a second), kept like a page (pagecache): the
    report page computes them and the PDF downloaded from it a moment later prints the same.
    Keyed on the page generation too, as pages are: a target's letter edited without a new run
    shows at once (and tests, whose rolled-back runs reuse numbers, do not share drafts)."""
    region = user_scope(request.user)
    scope = region.code if region else ""
    version = report_pdf_version(None, scope)
    key = page_key(pages_generation(), "report-figures", first_day, version)
    figures = cache.get(key)
    if figures is None:
        try:
            figures = report_figures(first_day, region=region)
        except NoData:
            raise Http404(_("Belum ada data untuk bulan ini.")) from None
        cache.set(key, figures, TIMEOUT_SECONDS)
    return figures


@login_required
def report_detail(request, year: int, month: int):
    first_day = _first_day(year, month)
    context = _context(request, first_day)
    context["month_name"] = month_label(first_day)
    return render(request, "reports/report.html", context)


@login_required
def report_download(request, year: int, month: int, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    first_day = _first_day(year, month)
    if file_format == "pdf":
        return _pdf_download(request, first_day)
    context = _context(request, first_day)
    return _attachment(
        report_xlsx(context["figures"]), "xlsx", context["report"] or first_day, _scope(request)
    )


def _pdf_download(request, first_day: dt.date):
    # The figures (a second or more for a draft) are computed only when the PDF is printed:
    # a stored one is keyed on the revision or the last run, which cost a query each.
    report, _previous, _revisions = _selected(request, first_day)
    try:
        body = report_pdf_stored(
            month=first_day,
            version=report_pdf_version(report, _scope(request)),
            audience="full" if sees_small_counts(request.user) else "restricted",
            render=lambda: report_pdf(_context(request, first_day)),
        )
    except (PdfUnavailable, PdfBusy) as error:
        response = HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "30"
        return response
    return _attachment(body, "pdf", report or first_day, _scope(request))


def _attachment(body: bytes, file_format: str, report_or_month, scope: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    name = report_file_name(report_or_month, file_format, scope)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@whole_kabupaten_admin_required
@require_POST
def report_issue_view(request, year: int, month: int):
    first_day = _first_day(year, month)
    revision = MonthlyReport.objects.filter(month=first_day, scope="").exists()
    # A NUL character cannot be stored (PostgreSQL refuses it): it is no part of a reason.
    reason = request.POST.get("alasan", "").replace("\x00", "").strip()
    if revision and not reason:
        messages.error(request, _("Tuliskan alasan revisi: pembaca laporan perlu tahu."))
        return redirect("report", year=year, month=month)
    if len(reason) > REASON_MAX:
        messages.error(
            request, _("Alasan revisi paling panjang %(n)s karakter.") % {"n": REASON_MAX}
        )
        return redirect("report", year=year, month=month)
    try:
        # Each camat's report of the month goes out with the kabupaten's (issue.py).
        (report, _issued), *_camats = report_issue_with_camats(
            month=first_day, user=request.user, reason=reason, revision=revision
        )
    except (NoData, PdfUnavailable) as error:
        messages.error(request, str(error))
        return redirect("report", year=year, month=month)
    messages.success(
        request,
        _("Laporan %(month)s revisi %(n)s diterbitkan dan dikirim ke Pimpinan.")
        % {"month": month_label(first_day), "n": report.revision},
    )
    return redirect("report", year=year, month=month)
