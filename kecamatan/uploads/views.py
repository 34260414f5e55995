"""Upload pages for admins: choose a file, see the preview, confirm or cancel, the history."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.access import admin_required, uploads_for_user, whole_kabupaten_admin_required
from ..models import Upload
from ..progress.datadate import data_date_move
from .cleanup import uploads_recover_stalled
from .forms import UploadForm
from .official import official_figures_import
from .readers import title_rows_skipped
from .service import (
    upload_can_cancel,
    upload_cancel,
    upload_confirm,
    upload_progress_key,
    upload_retry,
    upload_save_file,
)
from .tasks import upload_check_task, upload_import_task


@admin_required
def upload_new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = upload_save_file(
            uploaded_file=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            user=request.user,
        )
        if upload.status == Upload.Status.CHECKING:
            transaction.on_commit(lambda: upload_check_task.delay(upload.pk))
        return redirect("upload-detail", pk=upload.pk)
    recent = uploads_for_user(request.user).select_related("uploaded_by")[:5]
    return render(request, "uploads/upload_new.html", {"form": form, "recent": recent})


@admin_required
def upload_detail(request, pk):
    upload = get_object_or_404(uploads_for_user(request.user).select_related("uploaded_by"), pk=pk)
    moves = None
    if upload.status == Upload.Status.CHECKED and upload.kind in (
        Upload.Kind.AKTIVASI,
        Upload.Kind.REKAP,
    ):
        # What importing it would do to "data lengkap s.d.": the preview warns before it happens.
        moves = data_date_move(through=upload.data_through, regions=upload.touched_regions)
    return render(
        request,
        "uploads/upload_detail.html",
        {
            "upload": upload,
            "rows_done": cache.get(upload_progress_key(upload.pk)),
            "moves": moves,
            "can_cancel": upload_can_cancel(upload),
        },
    )


@admin_required
def upload_status(request, pk):
    """Polled by the detail page while a check or an import runs in the background."""
    upload = get_object_or_404(uploads_for_user(request.user), pk=pk)
    if upload.status == Upload.Status.IMPORTING and uploads_recover_stalled():
        upload.refresh_from_db()  # its worker died: the page shows "failed" and "try again"
    return JsonResponse(
        {
            "status": upload.status,
            "label": upload.get_status_display(),
            "rows_done": cache.get(upload_progress_key(upload.pk)) or 0,
            "rows_total": upload.rows_read if upload.status == Upload.Status.IMPORTING else None,
            "waiting": upload.status
            in (Upload.Status.CHECKING, Upload.Status.QUEUED, Upload.Status.IMPORTING),
        }
    )


@admin_required
@require_POST
def upload_decide(request, pk):
    upload = get_object_or_404(uploads_for_user(request.user), pk=pk)
    action = request.POST.get("action")
    if action == "retry":
        if upload_retry(upload=upload, user=request.user):
            transaction.on_commit(lambda: upload_import_task.delay(upload.pk))
        else:
            messages.warning(request, _("Unggahan ini tidak dapat dicoba lagi."))
    elif action == "import":
        if upload_confirm(upload=upload, user=request.user):
            transaction.on_commit(lambda: upload_import_task.delay(upload.pk))
        else:
            messages.warning(request, _("Unggahan ini tidak lagi menunggu konfirmasi."))
    elif upload_cancel(upload=upload, user=request.user):
        messages.info(request, _("Unggahan dibatalkan; berkasnya sudah dihapus."))
    return redirect("upload-detail", pk=upload.pk)


@admin_required
def upload_history(request):
    uploads = uploads_for_user(request.user).select_related("uploaded_by")[:200]
    return render(request, "uploads/upload_history.html", {"uploads": uploads})


@whole_kabupaten_admin_required
@require_POST
def official_upload(request):
    """The file form of the reconciliation page: figures for many regions and dates at once."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas angka resmi."))
        return redirect("official")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "resmi"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        saved, errors, title_rows = official_figures_import(
            path=path, user=request.user, file_name=upload.name
        )
    if title_rows:
        messages.info(request, title_rows_skipped(title_rows))
    if errors:
        for error in errors[:20]:
            messages.error(request, error)
    else:
        messages.success(request, _("%(n)s angka resmi disimpan.") % {"n": saved})
    return redirect("official")
