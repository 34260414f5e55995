"""The life of an upload: recorded, checked in the background, previewed, confirmed or cancelled,
imported, and its file (which holds raw NIKs) deleted as soon as it is done with.

Each state change is a conditional update whose row count says whether this call made it, so a
second click, a second tab or a redelivered task changes nothing. What follows an import (the
recompute) is started by whoever started the import, never from here.
"""

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts.audit import audit
from ..dialect import session_lock
from ..models import AuditEvent, Upload, UserRegion
from ..nik import nik_mask_text
from .load import import_file
from .storage import (
    upload_delete,
    upload_exists,
    upload_open,
    upload_size,
    upload_store,
)
from .validate import ImportReport

log = logging.getLogger(__name__)

# What a check or an import found, copied from its report onto the upload.
REPORT_COUNTS = (
    "rows_read",
    "rows_added",
    "rows_known",
    "rows_replaced",
    "rows_rejected",
    "duplicates_in_file",
    "date_conflicts",
)
RESULT_FIELDS = (
    *REPORT_COUNTS,
    "errors",
    "touched_regions",
    "message",
    "status",
    "data_through",
    "notes",
)


def _file_sha256(f: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- uploads: the record around an import -------------------------------------------------------


def upload_create(
    *,
    kind: str,
    file_name: str,
    user=None,
    path: Path | None = None,
    owns_file: bool = True,
    stored_name: str = "",
    sha: str = "",
    size: int = 0,
) -> Upload:
    """Record an uploaded file; DUPLICATE at once when these exact bytes were imported before.

    The file is `stored_name` in the upload storage (a browser upload, saved there by
    upload_save_file with its `sha` and `size`), or a local `path`: with `owns_file` it is
    moved into the upload storage (so a worker anywhere can read it), without it the command
    line imports the admin's own file and leaves it where it is. A stored file is deleted once
    the upload is done with.
    """
    if path is not None:  # hashed here: from a remote store it would be one more download
        with open(path, "rb") as f:
            sha = _file_sha256(f)
        size = path.stat().st_size
        if owns_file:
            stored_name = upload_store(path, suffix=path.suffix.lower()[:6])
            path.unlink()
    elif not sha:
        with upload_open(stored_name) as f:
            sha = _file_sha256(f)
        size = upload_size(stored_name)
    upload = Upload.objects.create(
        kind=kind,
        file_name=nik_mask_text(file_name)[:255],  # "3311014101900101.xlsx" happens
        sha256=sha,
        size_bytes=size,
        uploaded_by=user,
        stored_path=stored_name,  # a name in the upload storage, not a path on this machine
    )
    earlier = (
        Upload.objects.filter(sha256=sha, status=Upload.Status.IMPORTED).order_by("-pk").first()
    )
    if earlier and kind in REPLACING_KINDS and _replaced_since(earlier):
        earlier = None  # its rows were replaced by a later file: importing it again restores them
    if earlier:
        upload.status = Upload.Status.DUPLICATE
        upload.message = _(
            "Berkas yang sama persis sudah diimpor pada %(when)s (%(name)s). Tidak ada yang diubah."
        ) % {
            "when": timezone.localtime(earlier.created_at).strftime("%d/%m/%Y %H.%M"),
            "name": earlier.file_name,
        }
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "message", "finished_at"])
        upload_discard_file(upload)
    return upload


# Kinds whose rows replace what an earlier file said for the same keys (counts, rosters), where
# activations only ever add people or move them to an earlier date.
REPLACING_KINDS = {
    Upload.Kind.REKAP,
    Upload.Kind.PEMILIK_KTP,
    Upload.Kind.ROSTER,
    Upload.Kind.PERINGKAT,
}


def _replaced_since(earlier: Upload) -> bool:
    return Upload.objects.filter(
        kind=earlier.kind, status=Upload.Status.IMPORTED, pk__gt=earlier.pk
    ).exists()


def upload_run(
    *,
    upload: Upload,
    dry_run: bool,
    path: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check (dry run) or import an upload's file, and record the outcome on the upload."""
    started = time.monotonic()
    upload.started_at = upload.started_at if dry_run and upload.started_at else timezone.now()
    with nullcontext(path) if path else upload_open(upload.stored_path) as source:
        report = import_file(
            kind=upload.kind,
            path=source,
            upload=upload,
            dry_run=dry_run,
            on_progress=on_progress,
            # An Admin limited to a kecamatan uploads for that kecamatan only.
            within=UserRegion.objects.filter(user_id=upload.uploaded_by_id)
            .values_list("region_id", flat=True)
            .first(),
        )
    for name in REPORT_COUNTS:
        setattr(upload, name, getattr(report, name))
    upload.errors = [e.as_dict() for e in report.errors]
    upload.touched_regions = sorted(report.touched_regions)
    upload.data_through = report.data_through
    upload.notes = {
        "rows": report.rows_noted,
        "regions": [
            {"written": written, "code": code, "how": how}
            for written, (code, how) in sorted(report.regions_matched.items())
        ],
        "institutions": report.institutions,
        "title_rows": report.title_rows,
    }
    upload.message = nik_mask_text(report.message)
    if not report.ok:
        upload.status = Upload.Status.REJECTED
    elif dry_run:
        upload.status = Upload.Status.CHECKED
    else:
        upload.status = Upload.Status.IMPORTED
    if upload.status != Upload.Status.CHECKED:
        upload.finished_at = timezone.now()
        upload_discard_file(upload)
    upload.save(update_fields=[*RESULT_FIELDS, "started_at", "finished_at", "stored_path"])
    log.info(
        "upload %s kind=%s dry_run=%s status=%s read=%s added=%s known=%s replaced=%s "
        "rejected=%s seconds=%.1f",
        upload.pk,
        upload.kind,
        dry_run,
        upload.status,
        report.rows_read,
        report.rows_added,
        report.rows_known,
        report.rows_replaced,
        report.rows_rejected,
        time.monotonic() - started,
    )
    return report


def upload_changed_figures(upload: Upload) -> bool:
    """True when an import added or moved people: the figures must be recomputed (a roster
    changes no region's figures: institutions are counted live; nor does a peers' table)."""
    return (
        upload.status == Upload.Status.IMPORTED
        and upload.kind not in (Upload.Kind.ROSTER, Upload.Kind.PERINGKAT)
        and bool(upload.rows_added or upload.rows_replaced)
    )


def upload_discard_file(upload: Upload) -> None:
    """The uploaded file holds raw NIKs: it must not outlive the import."""
    if upload.stored_path:
        upload_delete(upload.stored_path)
        upload.stored_path = ""
        if upload.pk:
            Upload.objects.filter(pk=upload.pk).update(stored_path="")


# --- the browser flow: check in the background, confirm, import in the background -------------


def upload_progress_key(upload_id: int) -> str:
    return f"upload:{upload_id}:rows"


def _progress_reporter(upload_id: int) -> Callable[[int], None]:
    def report(rows: int) -> None:
        cache.set(upload_progress_key(upload_id), rows, timeout=24 * 3600)

    return report


def upload_save_file(*, uploaded_file, kind: str, user) -> Upload:
    """Store a browser upload in the upload storage, record it and the audit entry."""
    sha = _file_sha256(uploaded_file)  # from the request's own copy, before it is stored
    name = upload_store(uploaded_file, suffix=Path(uploaded_file.name).suffix.lower()[:6])
    upload = upload_create(
        kind=kind,
        stored_name=name,
        sha=sha,
        size=uploaded_file.size,
        file_name=uploaded_file.name,
        user=user,
    )
    audit(
        AuditEvent.Action.UPLOAD,
        user=user,
        target=f"{upload.kind}: {upload.file_name}",
        upload=upload.pk,
        status=upload.status,
    )
    return upload


def upload_check(*, upload_id: int) -> None:
    """Dry-run an upload so the admin sees what it would do (status CHECKING → CHECKED)."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status != Upload.Status.CHECKING:
        log.info("upload %s not checked: status is %s", upload_id, upload.status)
        return
    with _ends_as_failed(upload, checking=True):
        upload_run(upload=upload, dry_run=True, on_progress=_progress_reporter(upload_id))


# A database that went away is retried by the task (ikd_dashboard.celery.DATABASE_RETRY);
# anything else that escapes a check or an import is a fault in the file or in our code, and the
# upload must end.
RETRIED_ERRORS = (OperationalError, InterfaceError)


@contextmanager
def _ends_as_failed(upload: Upload, *, checking: bool):
    """Whatever a check or an import raises, the upload ends FAILED with a message the admin
    understands and its file (raw NIKs) deleted; the exception is logged (masked), not raised."""
    try:
        yield
    except RETRIED_ERRORS:
        raise
    except Exception as error:  # noqa: BLE001 — the point is that nothing leaves it stuck
        log.exception("upload %s failed while %s", upload.pk, "checked" if checking else "imported")
        upload_fail(upload=upload, error=error, checking=checking)


def upload_fail(*, upload: Upload, error: BaseException, checking: bool) -> None:
    what = _("Pemeriksaan") if checking else _("Impor")
    Upload.objects.filter(pk=upload.pk).exclude(status__in=Upload.FINAL).update(
        status=Upload.Status.FAILED,
        finished_at=timezone.now(),
        message=_(
            "%(what)s berhenti karena kesalahan yang tidak terduga (%(kind)s). Tidak ada data "
            "dari berkas ini yang tersimpan dan berkasnya sudah dihapus. Periksa berkasnya "
            "(ekspor ulang dari sistem asal), lalu unggah ulang."
        )
        % {"what": what, "kind": error.__class__.__name__},
    )
    upload_discard_file(upload)


def upload_confirm(*, upload: Upload, user) -> bool:
    """CHECKED → QUEUED, once: a second click (or a second tab) finds nothing to change. The
    caller queues the import when this returns True."""
    changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
        status=Upload.Status.QUEUED
    )
    if changed:
        audit(AuditEvent.Action.UPLOAD_IMPORT, user=user, target=upload.file_name, upload=upload.pk)
    return changed == 1


def upload_stuck_before() -> dt.datetime:
    """Uploads still checking or waiting since before this moment are stuck (UPLOAD_STUCK_MINUTES):
    a check takes seconds (docs/data-formats.md), so their task was lost or their worker died."""
    return timezone.now() - dt.timedelta(minutes=settings.UPLOAD_STUCK_MINUTES)


def upload_can_cancel(upload: Upload) -> bool:
    """Whether the page offers "cancel": a preview, a failed import still holding its file, or
    an upload stuck in the queue."""
    if upload.status == Upload.Status.CHECKED:
        return True
    if upload.status == Upload.Status.FAILED:
        return bool(upload.stored_path)
    stuck = upload.status in (Upload.Status.CHECKING, Upload.Status.QUEUED)
    return stuck and upload.created_at < upload_stuck_before()


def upload_cancel(*, upload: Upload, user) -> bool:
    """A preview, a failed upload or one stuck in the queue is cancelled and its file deleted."""
    cancellable = Upload.objects.filter(pk=upload.pk).filter(
        Q(status__in=[Upload.Status.CHECKED, Upload.Status.FAILED])
        | Q(
            status__in=[Upload.Status.CHECKING, Upload.Status.QUEUED],
            created_at__lt=upload_stuck_before(),
        )
    )
    changed = cancellable.update(status=Upload.Status.CANCELLED, finished_at=timezone.now())
    if changed:
        upload_discard_file(upload)
        audit(AuditEvent.Action.UPLOAD_CANCEL, user=user, target=upload.file_name, upload=upload.pk)
    return changed == 1


# PostgreSQL advisory-lock class for "this upload is being imported by a live process" (unlike
# IMPORT_LOCK_KEY, which queues imports one after another): held by the importing session and
# freed by the server the moment that process dies.
UPLOAD_ALIVE_LOCK = 7301


def upload_alive_lock(upload_id: int):
    """Yields True when this process may import the upload (no live process is at it)."""
    return session_lock(UPLOAD_ALIVE_LOCK, upload_id)


def upload_import(*, upload_id: int) -> Upload | None:
    """Import a confirmed upload (QUEUED → IMPORTING → IMPORTED or REJECTED); the upload, or
    None when this call had nothing to do.

    A redelivered task finds the upload IMPORTING: when no live process holds its import lock
    (the first worker was killed), it imports again; the import is one transaction, so the
    earlier attempt left nothing behind.
    """
    with upload_alive_lock(upload_id) as free:
        if not free:
            log.info("upload %s not imported: another process is importing it", upload_id)
            return None
        claimed = Upload.objects.filter(
            pk=upload_id, status__in=[Upload.Status.QUEUED, Upload.Status.IMPORTING]
        ).update(status=Upload.Status.IMPORTING)
        if not claimed:
            log.info("upload %s not imported: not queued", upload_id)
            return None
        upload = Upload.objects.get(pk=upload_id)
        with _ends_as_failed(upload, checking=False):
            upload_run(upload=upload, dry_run=False, on_progress=_progress_reporter(upload_id))
        upload.refresh_from_db()
        return upload


def upload_retry(*, upload: Upload, user) -> bool:
    """FAILED → QUEUED when the file is still there; the caller queues the import."""
    if not upload_exists(upload.stored_path):
        return False
    changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.FAILED).update(
        status=Upload.Status.QUEUED, finished_at=None, message=""
    )
    if changed:
        audit(
            AuditEvent.Action.UPLOAD_IMPORT,
            user=user,
            target=upload.file_name,
            upload=upload.pk,
            retry=True,
        )
    return changed == 1
