"""Institution pages: the ranking (filters in the URL), one institution's trend, the download,
an institution's details and target versions (Admin), and "check my list" (Admin)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ..accounts.access import (
    admin_required,
    institution_get_for_user,
    institution_reader_required,
    visits_for_user,
    whole_kabupaten_admin_required,
)
from ..models import InstitutionTarget
from ..progress.disclosure import InstitutionTable, institutions_for_viewer
from . import charts
from .check import (
    CheckRefused,
    check_limits,
    keep_uploads_in_memory,
    list_too_large,
    roster_check,
)
from .downloads import ranking_response
from .forms import InstitutionFilterForm, InstitutionForm, InstitutionTargetForm, RosterCheckForm
from .selectors import (
    institution_figures,
    institution_trend,
    institution_visits,
    institutions_latest_date,
)
from .service import institution_save
from .targets import institution_target_delete, institution_target_save


@dataclass
class Ranking:
    form: InstitutionFilterForm
    as_of: dt.date
    order: str
    table: InstitutionTable


def _ranking(request) -> Ranking:
    """The institutions the URL asks for, as this user may see them."""
    latest = institutions_latest_date()
    form = InstitutionFilterForm(request.GET, user=request.user, latest=latest)
    as_of = form.choice("tanggal") or latest
    order = form.choice("urut") or "kekurangan"
    rows = institution_figures(
        as_of=as_of, region=form.region, kind=form.choice("jenis"), order=order
    )
    return Ranking(form, as_of, order, institutions_for_viewer(rows, user=request.user))


@institution_reader_required
def institution_list(request):
    ranking = _ranking(request)
    query = request.GET.copy()
    query.pop("urut", None)
    return render(
        request,
        "institutions/list.html",
        {
            "form": ranking.form,
            "as_of": ranking.as_of,
            "order": ranking.order,
            "table": ranking.table,
            "chart": charts.ranking_chart(ranking.table.rows),
            "query": request.GET.urlencode(),
            "query_without_order": query.urlencode(),
            "orders": InstitutionFilterForm.ORDERS,
        },
    )


@institution_reader_required
def institution_download(request, file_format: str):
    ranking = _ranking(request)
    return ranking_response(
        table=ranking.table,
        file_format=file_format,
        as_of=ranking.as_of,
        region=ranking.form.region,
    )


@institution_reader_required
def institution_detail(request, code: str):
    institution = institution_get_for_user(user=request.user, code=code)
    latest = institutions_latest_date()
    form = InstitutionFilterForm(request.GET, user=request.user, latest=latest)
    as_of = form.choice("tanggal") or latest
    table = institutions_for_viewer(
        institution_figures(as_of=as_of, code=institution.code), user=request.user
    )
    figures = table.rows[0]
    chart = None
    if not figures.get("masked"):  # a handful of people has no trend to show: it would count them
        months, cumulative = institution_trend(institution=institution, as_of=as_of)
        chart = charts.trend_chart(months=months, cumulative=cumulative, figures=figures)
    visits = institution_visits(institution=institution, visits=visits_for_user(request.user))
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "form": form,
            "as_of": as_of,
            "f": figures,
            "chart": chart,
            "visits": visits,
        },
    )


@admin_required
def institution_edit(request, code: str):
    institution = institution_get_for_user(user=request.user, code=code)
    form = InstitutionForm(request.POST or None, instance=institution, user=request.user)
    if request.method == "POST" and form.is_valid():
        institution_save(institution=form.save(commit=False), user=request.user)
        messages.success(request, _("Data instansi disimpan."))
        return redirect("institution", code=institution.code)
    return render(request, "institutions/edit.html", {"institution": institution, "form": form})


@whole_kabupaten_admin_required
def institution_target_list(request):
    form = InstitutionTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        institution_target_save(target=form.save(commit=False), user=request.user)
        messages.success(request, _("Target instansi disimpan."))
        return redirect("institution-targets")
    targets = InstitutionTarget.objects.select_related("institution", "created_by")
    return render(request, "institutions/targets.html", {"form": form, "targets": targets})


@whole_kabupaten_admin_required
@require_POST
def institution_target_remove(request, pk: int):
    target = get_object_or_404(InstitutionTarget.objects.select_related("institution"), pk=pk)
    institution_target_delete(target=target, user=request.user)
    messages.info(request, _("Target instansi dihapus."))
    return redirect("institution-targets")


# --- check my list ------------------------------------------------------------------------------


@csrf_exempt  # the CSRF check reads the body: it runs below, once the handlers are in place
def roster_check_page(request):
    keep_uploads_in_memory(request)
    return _roster_check_page(request)


@whole_kabupaten_admin_required
@csrf_protect
def _roster_check_page(request):
    form = RosterCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_check(uploaded_file=form.cleaned_data["file"], user=request.user)
        except CheckRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            return checked_list_response(result)
    return render(
        request,
        "institutions/check.html",
        {"form": form, "too_large": list_too_large(request), "limits": check_limits()},
    )


def checked_list_response(result) -> HttpResponse:
    response = HttpResponse(
        result.workbook,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{result.file_name}"'
    return response
