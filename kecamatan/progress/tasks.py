"""The recompute's Celery tasks: thin shells around progress/runs.py. A run is started once and
each unit (province or kabupaten) goes to a worker; the unit that finishes last completes it.

Task names keep the `kecamatan.tasks.` prefix they were queued and scheduled under."""

import datetime as dt

from celery import Task, shared_task
from django.db import transaction

from ikd_dashboard.celery import DATABASE_RETRY, KECAMATAN_TASK

from ..models import RecomputeRun, Upload
from .disclosure import combined_segments
from .freshness import data_stale_alert
from .runs import (
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
from .selectors import progress_data_date


@shared_task(name=KECAMATAN_TASK.format("recompute_progress_task"), **DATABASE_RETRY)
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


@shared_task(name=KECAMATAN_TASK.format("recompute_unit_task"), base=_UnitTask, **DATABASE_RETRY)
def recompute_unit_task(run_id: int, unit: str) -> bool:
    last = run_unit(run_id=run_id, unit=unit)
    if last:
        _after_run()
    return last


def _after_run() -> None:
    transaction.on_commit(combined_segments_task.delay)


@shared_task(name=KECAMATAN_TASK.format("combined_segments_task"), **DATABASE_RETRY)
def combined_segments_task() -> None:
    """A finished run starts a new generation of the pages: work out now, not in the first
    request of a viewer without the Pimpinan role, which segments they see only combined
    (progress/disclosure.py; seconds nationally)."""
    combined_segments()


@shared_task(name=KECAMATAN_TASK.format("recompute_after_import_task"), bind=True, **DATABASE_RETRY)
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


@shared_task(name=KECAMATAN_TASK.format("data_stale_alert_task"), **DATABASE_RETRY)
def data_stale_alert_task() -> int:
    """Beat, each morning: email the Admins when the data are stale (at most once a day)."""
    return data_stale_alert()
