"""Recompute runs: one at a time, recorded, split into units (kabupaten) that workers share.

A run starts by taking the lock (a unique flag on its RecomputeRun row), then computes each unit
in its own transaction, then the regions above the units, then marks itself a success. Pages show
the date of the last successful run, so a run that dies halfway never shows half-new figures.
The same functions run in-process (`recompute_progress` command, tests) or as Celery tasks.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..accounts.audit import audit
from ..dialect import table_cluster, transaction_settings
from ..models import AuditEvent, RecomputeRun, Region, RegionBoundary, RegionClosure, Upload
from .compute import SNAPSHOT_COLUMNS, above_units_sql, in_subtree, subtree_sql
from .datadate import data_ahead_of
from .facts import facts_refresh
from .selectors import progress_data_date

log = logging.getLogger(__name__)

# A run still "running" after this long is taken as dead (its worker was killed); the Celery
# visibility timeout (settings) is longer, so a live run is never taken for dead.
STALE_AFTER = dt.timedelta(hours=2)
# The dashboard warns when the last good run is older than this.
FRESH_FOR = dt.timedelta(hours=36)


def unit_depth() -> int:
    """The level a recompute is split at: the shallowest level with more than one region, but
    never below the kabupaten (provinces nationally, the kabupaten for a single office)."""
    levels = Region.objects.values("depth").annotate(n=Count("code")).order_by("depth")
    for level in levels:
        if level["n"] > 1:
            return min(level["depth"], Region.DEPTHS["kabupaten"])
    return levels[0]["depth"] if levels else 0


def _insert_snapshots(cursor, select_sql: str, params: dict, computed_at) -> int:
    columns = ", ".join(SNAPSHOT_COLUMNS)
    cursor.execute(
        f"INSERT INTO kecamatan_progresssnapshot ({columns}, computed_at) "
        f"SELECT {columns}, %(computed_at)s FROM ({select_sql}) AS figures",
        {**params, "computed_at": computed_at},
    )
    return cursor.rowcount


def _tune_for_a_unit(cursor) -> None:
    """A unit aggregates some 300.000 fact rows nationally: sort and hash in memory, and skip
    JIT, whose compile time (~60 ms) outweighs what it saves on a statement this size. Its joins
    on region codes are hashed: a merge join sorts them first, and text sorts by the database's
    collation (C.UTF-8 here, not the byte order of "C"): eight provinces' statements, run in
    turn with and without, best of 3, took 1.848 against 2.081 ms (−11 %).

    Its commit does not wait for the disk: a unit's rows are derived and go with the run's tally
    in one transaction, so a crash can only lose whole units of a run that then never finishes
    (and is taken over, STALE_AFTER); the run's success, committed later, is never kept without
    them (the log is written in order)."""
    transaction_settings(
        cursor, work_mem="64MB", jit="off", synchronous_commit="off", enable_mergejoin="off"
    )


def progress_compute_unit(*, unit: str, as_of: dt.date, computed_at: dt.datetime) -> int:
    """Replace the snapshots of `as_of` for every region in one unit (a province or kabupaten),
    in one transaction; returns snapshot rows written. Reads the daily facts as they are."""
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_for_a_unit(cursor)
        # A unit's rows are written together, its own row among them: without that row there
        # is nothing of this date to replace, as on every night's first run. Asking spares the
        # delete, which a planner without statistics on the snapshots (a new database; this
        # server runs without autovacuum) made read every row of the date per unit: 4,8 s of
        # a national night, growing with the square of the units.
        cursor.execute(
            "SELECT 1 FROM kecamatan_progresssnapshot WHERE as_of = %s AND region_id = %s LIMIT 1",
            [as_of, unit],
        )
        if cursor.fetchone():
            in_unit, params = in_subtree(unit)
            delete = "DELETE FROM kecamatan_progresssnapshot WHERE as_of = %(as_of)s AND region_id "
            cursor.execute(delete + in_unit, {**params, "as_of": as_of})
        sql, params = subtree_sql(as_of=as_of, scope=unit, output=None, leaf_segments=False)
        return _insert_snapshots(cursor, sql, params, computed_at)


def progress_compute_top(*, as_of: dt.date, computed_at: dt.datetime, depth: int) -> int:
    """Snapshots of `as_of` for the regions above the units (at `depth`), summed from them."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM kecamatan_progresssnapshot WHERE as_of = %s AND region_id IN "
            "(SELECT code FROM kecamatan_region WHERE depth < %s)",
            [as_of, depth],
        )
        sql, params = above_units_sql(as_of=as_of, depth=depth)
        return _insert_snapshots(cursor, sql, params, computed_at)


def recompute_units() -> list[str]:
    """The units a full recompute is split into, one Celery task each (see unit_depth)."""
    return list(Region.objects.filter(depth=unit_depth()).values_list("code", flat=True))


class RunBusy(Exception):
    """Another run holds the lock."""


def run_start(*, kind: str, as_of: dt.date, units: list[str]) -> RecomputeRun:
    """Take the lock and record a running run, or raise RunBusy naming the run that has it."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return RecomputeRun.objects.create(
                    kind=kind,
                    as_of=as_of,
                    units=units,
                    status=RecomputeRun.Status.RUNNING,
                    lock=True,
                    ahead=[
                        {"code": a.code, "name": a.name, "through": a.through.isoformat()}
                        for a in data_ahead_of(as_of=as_of)
                    ],
                    data_date=progress_data_date(),
                )
        except IntegrityError:
            holder = RecomputeRun.objects.filter(lock=True).first()
            if holder and holder.started_at < timezone.now() - STALE_AFTER:
                _finish(
                    holder,
                    RecomputeRun.Status.FAILED,
                    "Ditinggalkan: tidak selesai dalam 2 jam (proses terhenti).",
                )
                continue
            if holder:
                raise RunBusy(holder) from None
    raise RunBusy(None)


def run_skipped(*, kind: str, as_of: dt.date, busy: RunBusy) -> RecomputeRun:
    """Record that a run did not start because another one was running."""
    holder = busy.args[0]
    message = "Dilewati: perhitungan lain sedang berjalan" + (
        f" (#{holder.pk}, mulai {timezone.localtime(holder.started_at):%d/%m/%Y %H.%M})."
        if holder
        else "."
    )
    log.warning("recompute %s as_of=%s skipped: %s", kind, as_of, message)
    return RecomputeRun.objects.create(
        kind=kind,
        as_of=as_of,
        status=RecomputeRun.Status.SKIPPED,
        finished_at=timezone.now(),
        message=message,
    )


def _finish(run: RecomputeRun, status: str, message: str = "") -> None:
    RecomputeRun.objects.filter(pk=run.pk, status=RecomputeRun.Status.RUNNING).update(
        status=status, lock=None, finished_at=timezone.now(), message=message[:2000]
    )


def run_fail(*, run_id: int, error: BaseException) -> None:
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run:
        _finish(run, RecomputeRun.Status.FAILED, f"{error.__class__.__name__}: {error}")
        log.error("recompute run %s failed: %s", run_id, error)


def run_unit(*, run_id: int, unit: str) -> bool:
    """Compute one unit for a running run; True when it was the last one (and the run is done).

    The unit's snapshots and the run's tally are written in one transaction, so a retried unit
    is neither lost nor counted twice.
    """
    with transaction.atomic():
        run = RecomputeRun.objects.get(pk=run_id)
        if run.status != RecomputeRun.Status.RUNNING:
            log.info("recompute run %s is %s: unit %s not computed", run_id, run.status, unit)
            return False
        rows = progress_compute_unit(unit=unit, as_of=run.as_of, computed_at=run.started_at)
        # Lock the run row only for the tally, so units on other workers compute in parallel.
        run = RecomputeRun.objects.select_for_update().get(pk=run_id)
        done = set(run.units_done or [])
        if unit not in done:
            run.units_done = sorted(done | {unit})
            run.rows += rows
            run.save(update_fields=["units_done", "rows"])
        last = len(run.units_done) >= len(run.units)
    if last:
        run_complete(run_id=run_id)
    return last


def _depth_of(units: list[str]) -> int:
    """The level of a run's units; the regions above it are summed from them."""
    if not units:
        return unit_depth()
    return Region.objects.get(code=units[0]).depth


def run_complete(*, run_id: int) -> None:
    """Compute the regions above the units and mark the run a success, in one transaction."""
    with transaction.atomic():
        run = RecomputeRun.objects.select_for_update().get(pk=run_id)
        if run.status != RecomputeRun.Status.RUNNING:
            return
        run.rows += progress_compute_top(
            as_of=run.as_of, computed_at=run.started_at, depth=_depth_of(run.units)
        )
        run.status, run.lock, run.finished_at = RecomputeRun.Status.SUCCESS, None, timezone.now()
        run.save(update_fields=["rows", "status", "lock", "finished_at"])
    log.info(
        "recompute run %s %s as_of=%s units=%s rows=%s seconds=%.2f",
        run.pk,
        run.kind,
        run.as_of,
        len(run.units),
        run.rows,
        run.duration_seconds,
    )


def facts_scopes(*, regions: list[str]) -> list[str]:
    """The kecamatan whose daily facts change when data for these regions changes."""
    return sorted(
        set(
            RegionClosure.objects.filter(
                descendant_id__in=regions, ancestor__depth=Region.DEPTHS["kecamatan"]
            ).values_list("ancestor_id", flat=True)
        )
    )


def facts_update(*, scopes: list[str] | None) -> None:
    """Rebuild the daily facts of these kecamatan, each in its own transaction, or of
    everything at once when `scopes` is None."""
    if scopes is None:
        with transaction.atomic():
            facts_refresh(scope=None)
        # After a full rebuild, keep the table in region order for the per-unit range scans.
        with connection.cursor() as cursor:
            table_cluster(cursor, "kecamatan_activationdaily", index="daily_region_day")
        return
    for scope in scopes:
        with transaction.atomic():
            facts_refresh(scope=scope)


def facts_scopes_since_last_nightly() -> list[str]:
    """What imports touched since the last nightly run began: the nightly run catches up on it,
    in case the recompute after an import was lost."""
    last = RecomputeRun.objects.filter(
        kind=RecomputeRun.Kind.NIGHTLY, status=RecomputeRun.Status.SUCCESS
    ).first()
    uploads = Upload.objects.filter(status=Upload.Status.IMPORTED)
    if last:
        uploads = uploads.filter(finished_at__gte=last.started_at)
    regions = {
        code for touched in uploads.values_list("touched_regions", flat=True) for code in touched
    }
    return facts_scopes(regions=sorted(regions)) if regions else []


def recompute_run(
    *,
    kind: str = RecomputeRun.Kind.MANUAL,
    as_of: dt.date | None = None,
    units: list[str] | None = None,
    facts: str | list[str] | None = "all",
) -> RecomputeRun:
    """A whole run in this process: the daily facts ("all", the given kecamatan, or None for
    none), then every unit (or the given ones), then the regions above."""
    if facts:
        facts_update(scopes=None if facts == "all" else facts)
    as_of = as_of or progress_data_date()
    units = units if units is not None else recompute_units()
    try:
        run = run_start(kind=kind, as_of=as_of, units=units)
    except RunBusy as busy:
        return run_skipped(kind=kind, as_of=as_of, busy=busy)
    try:
        for unit in units:
            run_unit(run_id=run.pk, unit=unit)
        if not units:
            run_complete(run_id=run.pk)
    except BaseException as exc:
        run_fail(run_id=run.pk, error=exc)
        raise
    run.refresh_from_db()
    return run


def progress_recompute(*, as_of: dt.date | None = None) -> int:
    """Recompute everything in-process for a date; returns snapshot rows written."""
    return recompute_run(as_of=as_of).rows


def incremental_units(*, regions: list[str]) -> list[str] | None:
    """The units to recompute after an import that touched these regions, or None when a full
    run is needed (nothing recomputed yet, or the data now runs past the last run's date)."""
    last = RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS).first()
    if last is None or progress_data_date() != last.as_of:
        return None
    # The touched kabupaten, even where a full run splits by province: the levels above are then
    # summed again from every kabupaten's snapshot, which the last run left in place.
    units = sorted(
        set(
            RegionClosure.objects.filter(
                descendant_id__in=regions,
                ancestor__depth=max(unit_depth(), Region.DEPTHS["kabupaten"]),
            ).values_list("ancestor_id", flat=True)
        )
    )
    return units or None


@dataclass
class RecomputeStatus:
    latest_as_of: dt.date | None  # the latest date a run finished for: what pages show
    last_finished: dt.datetime | None  # when the last good run finished
    ahead: list[dict] = field(default_factory=list)  # kecamatan reported past latest_as_of
    # The map's outlines as of now (how many, when last loaded): a process with a cache of its
    # own hears of no other process's load_boundaries, so its page keys and memos hold this.
    outlines: str = ""

    @property
    def fresh_hours(self) -> int:
        return int(FRESH_FOR.total_seconds() // 3600)

    @property
    def stale(self) -> bool:
        """True when no run has succeeded within FRESH_FOR: the figures may be out of date."""
        return self.last_finished is None or self.last_finished < timezone.now() - FRESH_FOR


def recompute_status() -> RecomputeStatus:
    """What pages need about the recompute, from one query: the latest date a run finished for
    (and what ran past it then), and when the last good run finished.

    A run dated after the newest run's data date is passed over: its date is no longer complete
    (the data date moved back since), so its figures miss data that came in for earlier days."""
    good = RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS)
    newest = good.order_by("-finished_at", "-pk")
    outlines_table = RegionBoundary._meta.db_table
    found = (
        good.annotate(
            last_finished=Subquery(newest.values("finished_at")[:1]),
            data_date_now=Subquery(newest.values("data_date")[:1]),
            outlines_count=RawSQL(f"SELECT COUNT(*) FROM {outlines_table}", ()),  # noqa: S611
            outlines_at=RawSQL(f"SELECT MAX(loaded_at) FROM {outlines_table}", ()),  # noqa: S611
        )
        .filter(Q(data_date_now__isnull=True) | Q(as_of__lte=F("data_date_now")))
        .order_by("-as_of", "-finished_at")
        .values("as_of", "last_finished", "ahead", "outlines_count", "outlines_at")
        .first()
    )
    if found is None:  # no figures, so no map either
        return RecomputeStatus(latest_as_of=None, last_finished=None)
    return RecomputeStatus(
        latest_as_of=found["as_of"],
        last_finished=found["last_finished"],
        ahead=found["ahead"],
        outlines=f"{found['outlines_count']}|{found['outlines_at']}",
    )


def recompute_requested(*, user) -> None:
    """An admin asked for a recompute (the caller queues it): recorded in the audit trail."""
    audit(AuditEvent.Action.RECOMPUTE, user=user)
