"""The open page (/publik/): the published report's figures, the visits planned at public places
in the next two weeks, and the Satu Data files — without sign-in, and only with PUBLIC_PAGE on."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ikd_dashboard.dates import today_jakarta
from ikd_dashboard.spreadsheets import CSV_TYPE
from kecamatan.accounts.access import public_page_required
from kecamatan.outreach.requests import PUBLIC_DAYS, visits_for_public

from .public import (
    public_context,
    public_csv,
    public_data_rows,
    public_figures,
    public_metadata_rows,
    public_report,
)

# Files anyone may fetch, the same for everybody until the next report: proxies may keep them.
FILE_CACHE = "public, max-age=600"


@public_page_required
def public_page(request):
    report = public_report()
    context = public_context(report, desa=settings.PUBLIC_PAGE_DESA) if report else {}
    return render(
        request,
        "reports/public/page.html",
        {
            **context,
            "report": report,
            "visit_days": visits_for_public(today=today_jakarta()),
            "public_days": PUBLIC_DAYS,
        },
    )


def _issued():
    report = public_report()
    if report is None:
        raise Http404("Belum ada laporan yang diterbitkan.")
    return report, public_figures(report, desa=settings.PUBLIC_PAGE_DESA)


def _csv_file(rows: list[list], name: str) -> HttpResponse:
    response = HttpResponse(public_csv(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = FILE_CACHE
    return response


@public_page_required
def public_data(request):
    """The data file: one row per region, as a program reads it (Satu Data)."""
    _report, figures = _issued()
    return _csv_file(public_data_rows(figures), f"ikd-capaian-{figures['month'][:7]}.csv")


@public_page_required
def public_metadata(request):
    """The metadata file: what the data file is, of where and when, and its columns."""
    report, figures = _issued()
    rows = public_metadata_rows(report, figures)
    return _csv_file(rows, f"ikd-capaian-{figures['month'][:7]}-metadata.csv")
