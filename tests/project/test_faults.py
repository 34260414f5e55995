"""Faults with the real parts: a Celery worker killed in the middle of an import, and PostgreSQL
restarted in the middle of the nightly run. Nothing is lost or half written; the next attempt
gets it right."""

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.db.utils import InterfaceError

from kecamatan.models import Activation, RecomputeRun
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_for_region
from kecamatan.tasks import recompute_progress_task, upload_import_task
from kecamatan.uploads.service import upload_confirm, upload_create, upload_run
from kecamatan.uploads.storage import upload_exists
from tests.uploads.test_ingest_safety import _activation_indexes

ROWS = 30_000


def _wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (OperationalError, InterfaceError):  # the database is restarting
            connection.close()
            value = None
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}; database sessions: {_sessions()}")


def _sessions() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.pid, a.state, a.wait_event_type, left(ltrim(a.query), 120), l.objid"
            " FROM pg_stat_activity a LEFT JOIN pg_locks l"
            " ON l.pid = a.pid AND l.locktype = 'advisory'"
            " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


def _connect():
    """A second session on the test database, to hold a lock."""
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )


def _activation_file(path: Path) -> Path:
    desa = ["33.11.01.2001", "33.11.01.2002", "33.11.02.2001"]
    with open(path, "w") as out:
        out.write("nik,tanggal_aktivasi,kode_wilayah\n")
        for i in range(ROWS):
            code = desa[i % 3]
            day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30
            nik = (
                f"{code[:8].replace('.', '')}{day:02d}{month:02d}{year:02d}{1000 + i // 10080:04d}"
            )
            out.write(f"{nik},2025-04-0{1 + i % 9},{code}\n")
    return path


def test_a_worker_killed_during_an_import_leaves_nothing_and_a_retry_succeeds(
    celery_worker, small_kabupaten, admin_user, client, tmp_path
):
    path = _activation_file(tmp_path / "aktivasi-besar.csv")
    upload = upload_create(kind="aktivasi", path=path, file_name=path.name, user=admin_user)
    upload_run(upload=upload, dry_run=True)  # the check, as the upload page runs it
    assert upload_confirm(upload=upload, user=admin_user)
    indexes = _index_definitions()
    # Catch the import halfway: its rows are staged, and its merge into the activation table
    # waits for a lock another session holds. Then the worker dies.
    blocker = _connect()
    try:
        blocker.cursor().execute("LOCK TABLE kecamatan_activation IN SHARE MODE")
        upload_import_task.delay(upload.pk)
        # The worker's session: rows staged, now waiting to merge them into the activations
        # (a file with more people than the store first drops the read indexes, to build them
        # after its rows: kecamatan/dialect.py).
        _wait_for(
            lambda: any(
                wait == "Lock"
                and ("INSERT INTO kecamatan_activation" in query or "DROP INDEX" in query)
                for _pid, _state, wait, query, _lock in _sessions()
            ),
            seconds=120,
            what="the import to reach its merge",
        )
        celery_worker.process.kill()  # SIGKILL: no cleanup, as when a machine loses power
        celery_worker.process.wait()
    finally:
        blocker.rollback()  # whatever happened, the test must not leave the table locked
        blocker.close()

    client.force_login(admin_user)
    # The admin's page notices as soon as the database has let go of the dead import.
    status = _wait_for(
        lambda: (
            (s := client.get(f"/unggah/{upload.pk}/status/").json())["status"] == "failed" and s
        ),
        seconds=60,
        what="the upload to be marked failed",
    )
    assert status["label"] == "Gagal"
    assert Activation.objects.filter(upload=upload).count() == 0  # nothing half written
    assert Activation.objects.count() == 285  # the kabupaten's own, untouched
    assert _index_definitions() == indexes  # and every index still there
    stored = upload.stored_path
    assert upload_exists(stored)  # kept, to try again

    from ikd_dashboard.celery import app

    app.conf.task_always_eager = True  # the retry runs here; the worker is gone
    try:
        client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "retry"})
    finally:
        app.conf.task_always_eager = False
    upload.refresh_from_db()
    assert (upload.status, upload.rows_added) == ("imported", ROWS)
    assert Activation.objects.filter(upload=upload).count() == ROWS
    assert upload.stored_path == "" and not upload_exists(stored)


def _index_definitions() -> dict[str, str]:
    return {name: definition for name, (_oid, definition) in _activation_indexes().items()}


def _postgres_restart() -> None:
    cluster = sorted(Path("/etc/postgresql").iterdir())[0].name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(not shutil.which("pg_ctlcluster"), reason="needs a local PostgreSQL cluster")
def test_postgresql_restarting_during_the_nightly_run_loses_no_figure(
    celery_worker, small_kabupaten
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    progress_recompute(as_of=dt.date(2025, 4, 9))  # yesterday's figures, for the pages
    # Hold the nightly run inside its first unit: a second connection locks the snapshot table.
    blocker = _connect()
    try:
        blocker.cursor().execute("LOCK TABLE kecamatan_progresssnapshot IN ACCESS EXCLUSIVE MODE")
        recompute_progress_task.delay(as_of="2025-04-10", kind=RecomputeRun.Kind.NIGHTLY)
        run = _wait_for(
            lambda: RecomputeRun.objects.filter(kind="nightly", status="running").first(),
            seconds=30,
            what="the nightly run to start",
        )
        time.sleep(1)  # its unit is now waiting on the lock, mid-run
        _postgres_restart()  # every connection is cut, the blocker's and the worker's
    finally:
        blocker.close()
    connection.close()

    finished = _wait_for(
        lambda: RecomputeRun.objects.filter(pk=run.pk).exclude(status="running").first(),
        seconds=120,
        what="the interrupted run to finish",
    )
    # The unit task retried once the database was back, and the run completed.
    assert finished.status == "success", finished.message
    totals = progress_for_region(region=small_kabupaten, as_of=dt.date(2025, 4, 10)).totals
    assert (totals["holders"], totals["activated"]) == (2300, 285)

    recompute_progress_task.delay(as_of="2025-04-10", kind=RecomputeRun.Kind.NIGHTLY)
    following = _wait_for(
        lambda: (
            RecomputeRun.objects.filter(pk__gt=run.pk, kind="nightly")
            .exclude(status="running")
            .first()
        ),
        seconds=60,
        what="the next nightly run",
    )
    assert following.status == "success"
    assert progress_for_region(region=small_kabupaten).totals["activated"] == 285
