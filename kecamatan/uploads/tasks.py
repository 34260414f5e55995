"""The uploads' Celery tasks: thin shells around uploads/service.py — check a file, import it
(then recompute what it changed: progress/tasks.py), clean up what nobody confirmed.

Task names keep the `kecamatan.tasks.` prefix they were queued and scheduled under."""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError, transaction

from ikd_dashboard.celery import DATABASE_RETRY, KECAMATAN_TASK

from ..progress.tasks import recompute_after_import_task
from .cleanup import uploads_expire, uploads_recover_stalled
from .service import upload_changed_figures, upload_check, upload_import

log = logging.getLogger(__name__)


@shared_task(name=KECAMATAN_TASK.format("upload_check_task"), **DATABASE_RETRY)
def upload_check_task(upload_id: int) -> None:
    upload_check(upload_id=upload_id)


@shared_task(name=KECAMATAN_TASK.format("upload_import_task"), **DATABASE_RETRY)
def upload_import_task(upload_id: int) -> None:
    upload = upload_import(upload_id=upload_id)
    if upload is not None and upload_changed_figures(upload):
        transaction.on_commit(lambda: recompute_after_import_task.delay(upload_id))


@shared_task(name=KECAMATAN_TASK.format("uploads_expire_task"))
def uploads_expire_task() -> int:
    uploads_recover_stalled()
    return uploads_expire()


@worker_ready.connect
def _recover_after_restart(**_kwargs):
    """A worker starting up may be replacing one that died mid-import: say so at once."""
    try:
        uploads_recover_stalled()
    except (OperationalError, InterfaceError):  # the database is not up yet: the hourly task will
        log.warning("could not look for stalled imports at worker start")
