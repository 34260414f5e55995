"""Pages for admins about the figures: target versions, recompute runs, official figures. All act
on the whole kabupaten, so an Admin limited to one kecamatan gets 403 (accounts.access)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.access import whole_kabupaten_admin_required
from ..models import OfficialFigure, RecomputeRun, Target, TargetChange
from .forms import OfficialFigureForm, TargetForm
from .reconcile import (
    official_figure_delete,
    official_figure_save,
    reconciliation_rows,
)
from .runs import recompute_requested
from .targets import target_delete, target_save
from .tasks import recompute_progress_task


def _recompute_after_commit() -> None:
    transaction.on_commit(lambda: recompute_progress_task.delay(kind=RecomputeRun.Kind.MANUAL))


@whole_kabupaten_admin_required
def target_list(request, pk=None):
    target = get_object_or_404(Target, pk=pk) if pk else None
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        target_save(target=form.save(commit=False), user=request.user)
        _recompute_after_commit()
        messages.success(request, _("Target disimpan; capaian dihitung ulang."))
        return redirect("targets")
    return render(
        request,
        "progress/targets.html",
        {
            "form": form,
            "editing": target,
            "targets": Target.objects.select_related("region", "segment").order_by(
                "-valid_from", "region_id", "segment_id"
            ),
            "changes": TargetChange.objects.select_related("changed_by")[:50],
        },
    )


@whole_kabupaten_admin_required
@require_POST
def target_remove(request, pk):
    target_delete(target=get_object_or_404(Target, pk=pk), user=request.user)
    _recompute_after_commit()
    messages.info(request, _("Versi target dihapus."))
    return redirect("targets")


@whole_kabupaten_admin_required
def run_list(request):
    if request.method == "POST":
        recompute_requested(user=request.user)
        _recompute_after_commit()
        messages.info(request, _("Perhitungan ulang dimulai."))
        return redirect("runs")
    return render(request, "progress/runs.html", {"runs": RecomputeRun.objects.all()[:100]})


@whole_kabupaten_admin_required
def official_list(request):
    if request.method == "POST" and request.FILES:
        # The file form moved to the uploads room (it reads files like every upload); 307 keeps
        # the method and body, so a script that still posts its file here keeps working.
        return HttpResponseRedirect(reverse("official-upload"), status=307)
    form = OfficialFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        official_figure_save(figure=form.save(commit=False), user=request.user)
        messages.success(request, _("Angka resmi disimpan."))
        return redirect("official")
    return render(
        request, "progress/official.html", {"form": form, "rows": reconciliation_rows(limit=200)}
    )


@whole_kabupaten_admin_required
@require_POST
def official_remove(request, pk):
    official_figure_delete(figure=get_object_or_404(OfficialFigure, pk=pk), user=request.user)
    return redirect("official")
