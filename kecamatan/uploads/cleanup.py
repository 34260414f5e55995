"""The clean-up around uploads: imports whose process died, checks and imports that never
ended, previews nobody confirmed and files nobody waits for — so no raw NIK lingers in the
upload storage. Run hourly by the beat schedule and after a worker restarts.
"""

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..dialect import is_postgresql
from ..models import Upload
from .service import upload_alive_lock, upload_discard_file, upload_stuck_before
from .storage import upload_delete, uploads_stored

log = logging.getLogger(__name__)


def uploads_recover_stalled() -> int:
    """Mark failed every import whose process died (IMPORTING, and nobody holds its lock), so
    the admin sees it at once and can try again; returns how many. PostgreSQL only: on the
    embedded default the import runs inside the request that started it."""
    if not is_postgresql():
        return 0
    failed = 0
    for upload_id in Upload.objects.filter(status=Upload.Status.IMPORTING).values_list(
        "pk", flat=True
    ):
        with upload_alive_lock(upload_id) as free:
            if free:
                failed += Upload.objects.filter(
                    pk=upload_id, status=Upload.Status.IMPORTING
                ).update(
                    status=Upload.Status.FAILED,
                    finished_at=timezone.now(),
                    message=_(
                        "Impor terhenti karena proses pekerja berhenti di tengah jalan. Tidak "
                        "ada data dari berkas ini yang tersimpan; klik Coba lagi."
                    ),
                )
    if failed:
        log.warning("%s stalled import(s) marked failed", failed)
    return failed


def _uploads_fail_stuck() -> int:
    """Checks and queued imports that never ended: failed, with their files deleted."""
    stuck = [Upload.Status.CHECKING, Upload.Status.QUEUED]
    if not is_postgresql():  # there the import runs in the request; a dead one is just old
        stuck.append(Upload.Status.IMPORTING)
    failed = 0
    for upload in Upload.objects.filter(status__in=stuck, created_at__lt=upload_stuck_before()):
        changed = Upload.objects.filter(pk=upload.pk, status=upload.status).update(
            status=Upload.Status.FAILED,
            finished_at=timezone.now(),
            message=_(
                "Unggahan ini tidak selesai dalam %(minutes)s menit dan dihentikan; berkasnya "
                "dihapus dan tidak ada data yang tersimpan. Unggah ulang berkasnya."
            )
            % {"minutes": settings.UPLOAD_STUCK_MINUTES},
        )
        if changed:
            upload_discard_file(upload)
            failed += 1
    if failed:
        log.warning("%s stuck upload(s) marked failed", failed)
    return failed


def uploads_expire(*, older_than: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Cancel previews nobody confirmed and delete stray files, so no raw NIK lingers on disk.

    Returns how many uploads were expired. Safe to run twice: each expiry is a conditional update.
    """
    cutoff = timezone.now() - older_than
    expired = 0
    for upload in Upload.objects.filter(status=Upload.Status.CHECKED, created_at__lt=cutoff):
        changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
            status=Upload.Status.CANCELLED,
            finished_at=timezone.now(),
            message=_("Tidak dikonfirmasi dalam %(hours)s jam; berkasnya dihapus.")
            % {"hours": int(older_than.total_seconds() // 3600)},
        )
        if changed:
            upload_discard_file(upload)
            expired += 1
    expired += _uploads_fail_stuck()
    # A failed import keeps its file for "Coba lagi" as long as a preview would, no longer.
    for upload in Upload.objects.filter(status=Upload.Status.FAILED, created_at__lt=cutoff):
        upload_discard_file(upload)
    # Files no upload waits for (a crash between saving and recording, say).
    waiting = set(Upload.objects.exclude(stored_path="").values_list("stored_path", flat=True))
    waiting |= {Path(name).name for name in waiting}  # named by their full path before storages
    for name, modified in uploads_stored():
        if modified < cutoff.timestamp() and name not in waiting:
            upload_delete(name)
    return expired
