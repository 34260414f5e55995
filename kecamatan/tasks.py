"""Celery tasks: thin shells around the plain functions in this app."""

import datetime as dt
import logging

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError, transaction

from .accounts.privacy import combined_segments
from .models import RecomputeRun, Upload
from .progress.runs import (
    RunBusy,
    facts_scopes_since_last_nightly,
    facts_update,
    incremental_units,
    recompute_units,
    run_complete,
    run_fail,
    run_skipped,
    run_start,
    run_unit,
)
from .progress.selectors import progress_data_date
from .uploads.cleanup import uploads_expire, uploads_recover_stalled
from .uploads.service import (
    upload_changed_figures,
    upload_check,
    upload_import,
)

log = logging.getLogger(__name__)
# A database or broker that restarts comes back within minutes: retry with growing pauses.
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 8,
}  # acks_late is on for every task (settings.CELERY_TASK_ACKS_LATE)


@shared_task(**RETRY)
def recompute_progress_task(
    as_of: str | None = None, kind: str = RecomputeRun.Kind.NIGHTLY, units: list | None = None
) -> int | None:
    """Start a run and hand each unit (province or kabupaten) to the workers."""
    if kind == RecomputeRun.Kind.NIGHTLY:
        facts_update(scopes=facts_scopes_since_last_nightly())
    day = dt.date.fromisoformat(as_of) if as_of else progress_data_date()
    units = units if units is not None else recompute_units()
    try:
        run = run_start(kind=kind, as_of=day, units=units)
    except RunBusy as busy:
        run_skipped(kind=kind, as_of=day, busy=busy)
        return None
    return _dispatch(run)


def _dispatch(run: RecomputeRun) -> int:
    """Hand each unit to the workers; the unit that finishes last completes the run."""
    if not run.units:
        run_complete(run_id=run.pk)
        _after_run()
    for unit in run.units:
        recompute_unit_task.delay(run.pk, unit)
    return run.pk


class _UnitTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries: the run is failed and its lock released; pages keep the last good run.
        run_fail(run_id=args[0] if args else kwargs["run_id"], error=exc)


@shared_task(base=_UnitTask, **RETRY)
def recompute_unit_task(run_id: int, unit: str) -> bool:
    last = run_unit(run_id=run_id, unit=unit)
    if last:
        _after_run()
    return last


def _after_run() -> None:
    transaction.on_commit(combined_segments_task.delay)


@shared_task(**RETRY)
def combined_segments_task() -> None:
    """A finished run starts a new generation of the pages: work out now, not in the first
    request of a viewer without the Pimpinan role, which segments they see only combined
    (accounts/privacy.py; seconds nationally)."""
    combined_segments()


@shared_task(bind=True, **RETRY)
def recompute_after_import_task(self, upload_id: int) -> int | None:
    """Recompute what an import touched (its kabupaten), or everything when the date moved.

    The daily facts are already up to date: the import changed them in its own transaction
    (kecamatan/uploads/merge.py). If a run is going on, wait for it rather than skip: the
    import's figures must show up.
    """
    upload = Upload.objects.get(pk=upload_id)
    units = incremental_units(regions=upload.touched_regions) if upload.touched_regions else None
    day = progress_data_date()
    try:
        run = run_start(
            kind=RecomputeRun.Kind.IMPORT,
            as_of=day,
            units=units if units is not None else recompute_units(),
        )
    except RunBusy:
        raise self.retry(countdown=60, max_retries=60) from None
    return _dispatch(run)


@shared_task(**RETRY)
def upload_check_task(upload_id: int) -> None:
    upload_check(upload_id=upload_id)


@shared_task(**RETRY)
def upload_import_task(upload_id: int) -> None:
    upload = upload_import(upload_id=upload_id)
    if upload is not None and upload_changed_figures(upload):
        transaction.on_commit(lambda: recompute_after_import_task.delay(upload_id))


@shared_task
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
