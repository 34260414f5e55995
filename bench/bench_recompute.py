"""Recompute benchmark at national scale on PostgreSQL.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench python bench/bench_recompute.py
       [--activations N] [--skip-build] [--steps 1,2,3,4]

Builds (unless --skip-build) a synthetic Indonesia: 38 provinces, 514 kabupaten/kota, ~7.300
kecamatan, ~84.000 desa with generated codes and names, KTP holders for every desa, and N
activations (default 10.000.000) spread over 2023–2025. Then times:
  (1) the full nightly recompute in one process (one worker's worth);
  (2) the same split over 2 Celery workers (Redis at CELERY_BROKER_URL or 127.0.0.1:6379/15);
  (3) the incremental recompute after importing 50.000 rows into one kabupaten;
  (4) GET /api/v1/progress/ for a kabupaten, server time.
Goals on the 2-core machine (performance issue): (1) ≤ 15 s, (2) ≤ 9 s, (3) ≤ 1 s, (4) ≤ 50 ms.
This wipes the database it is pointed at.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
BROKER = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.pop("CELERY_BROKER_URL", None)  # this process computes in-process (eager)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

PROVINCES, KABUPATEN, KECAMATAN_PER_KAB, DESA_PER_KEC = 38, 514, 14, 11.5
START, DAYS = "2023-01-01", 830  # to 10 April 2025


def build(activations: int) -> None:
    from kecamatan.regions import region_closure_rebuild

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE kecamatan_progresssnapshot, kecamatan_activationdaily, kecamatan_activation,"
            " kecamatan_activationrecap, kecamatan_ktpholdercount, kecamatan_officialfigure,"
            " kecamatan_recomputerun, kecamatan_upload, kecamatan_regionclosure,"
            " kecamatan_target, kecamatan_targetchange, kecamatan_region CASCADE"
        )
    # The seeded targets went with the truncate: put the two national versions back.
    from kecamatan.models import Target

    Target.objects.create(percent=25, valid_from="2023-01-01", deadline="2024-12-31")
    Target.objects.create(percent=30, valid_from="2025-01-01", deadline="2025-12-31")
    rows = []
    kab_left = KABUPATEN
    desa_count = 0
    for p in range(PROVINCES):
        prov = f"{11 + p:02d}"
        rows.append((prov, f"Provinsi {p + 1}", "provinsi", 1, None))
        kabs = kab_left // (PROVINCES - p)
        kab_left -= kabs
        for k in range(1, kabs + 1):
            kab = f"{prov}.{k:02d}"
            rows.append((kab, f"Kabupaten {prov}{k:02d}", "kabupaten", 2, prov))
            for c in range(1, KECAMATAN_PER_KAB + 1):
                kec = f"{kab}.{c:02d}"
                rows.append((kec, f"Kecamatan {kec}", "kecamatan", 3, kab))
                n_desa = 11 + (c % 2)  # 11 or 12: 11,5 on average
                for d in range(1, n_desa + 1):
                    rows.append((f"{kec}.2{d:03d}", f"Desa {kec}.{d}", "desa", 4, kec))
                    desa_count += 1
    with tempfile.TemporaryFile("w+") as f:
        for code, name, level, depth, parent in rows:
            f.write(f"{code}\t{name}\t{level}\t{depth}\t{parent or chr(92) + 'N'}\t\\N\n")
        f.seek(0)
        with connection.cursor() as cur:
            cur.copy_expert(
                "COPY kecamatan_region (code, name, level, depth, parent_id, population) "
                "FROM STDIN",
                f,
            )
    region_closure_rebuild()
    print(f"regions: {len(rows):,} ({desa_count:,} desa) in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    # One transaction: a build stopped halfway must not leave the table without the indexes it
    # dropped (the next build would read none to put back).
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO kecamatan_ktpholdercount (region_id, segment_id, valid_from, holders)
            SELECT r.code, s.code, DATE '2023-01-01',
                   CASE s.code WHEN 'umum' THEN 1800 + (hashtext(r.code) & 1023)
                               WHEN 'pelajar' THEN 60 + (hashtext(r.code) & 63)
                               ELSE 5 + (hashtext(r.code || s.code) & 15) END
            FROM kecamatan_region r CROSS JOIN kecamatan_segment s WHERE r.depth = 4
            """
        )
        holders = cur.rowcount
        # Bulk-load without the secondary indexes, then build them once.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'kecamatan_activation'"
            " AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        assert len(indexes) >= 3, f"the activation table lacks its indexes: {indexes}"
        for name, _definition in indexes:
            cur.execute(f'ALTER TABLE kecamatan_activation DROP CONSTRAINT IF EXISTS "{name}"')
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute(
            f"""
            INSERT INTO kecamatan_activation
                (nik_hash, activated_on, region_id, segment_id, place, created_at)
            WITH desa AS (
                SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS idx
                FROM kecamatan_region WHERE depth = 4
            ),
            people AS (
                SELECT i, (hashtext('r' || i) & 1048575) % (SELECT COUNT(*) FROM desa) AS idx
                FROM generate_series(1, {activations}) AS i
            )
            SELECT md5(p.i::text) || md5((p.i + 7)::text),
                   DATE '{START}' + ((hashtext(p.i::text) & 1048575) % {DAYS}),
                   d.code,
                   (ARRAY['umum','umum','umum','umum','umum','umum','pelajar','pelajar','asn',
                          'pppk','tni','polri','bumn','bumd'])[1 + (p.i % 14)],
                   'lainnya', now()
            FROM people p JOIN desa d ON d.idx = p.idx
            """
        )
        for name, definition in indexes:
            if "UNIQUE" in definition and "nik_hash" in definition:
                cur.execute(
                    f'ALTER TABLE kecamatan_activation ADD CONSTRAINT "{name}" UNIQUE (nik_hash)'
                )
            else:
                cur.execute(definition)
        cur.execute("ANALYZE")
    print(
        f"holders: {holders:,} rows; activations: {activations:,} in "
        f"{time.perf_counter() - t0:.1f} s"
    )


def timed(label, fn, goal=None):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:7.2f} s" + (f"   goal ≤ {goal}" if goal else ""), flush=True)
    return result, seconds


def with_workers(n: int, as_of) -> float:
    """Start n Celery worker processes, enqueue the nightly job, wait for the run to finish."""
    from kecamatan.models import RecomputeRun

    queue = f"bench-{os.getpid()}"
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_TASK_DEFAULT_QUEUE": queue}
    log_dir = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    logs = [open(log_dir / f"worker-{i}.log", "w") for i in range(n)]  # noqa: SIM115
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ikd_dashboard",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
                "--hostname",
                f"{queue}-{i}@localhost",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for i, log in enumerate(logs)
    ]
    try:
        time.sleep(4)  # workers up
        before = RecomputeRun.objects.count()
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
                " 'ikd_dashboard.settings'); django.setup();"
                "from kecamatan.tasks import recompute_progress_task;"
                f"recompute_progress_task.delay('{as_of.isoformat()}', 'manual')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        while True:
            run = RecomputeRun.objects.order_by("-pk").first()
            if RecomputeRun.objects.count() > before and run.status != "running":
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        assert run.status == "success", run.message
        # The run's own span, from its first statement to its last: the wall time above also
        # holds starting the process that enqueues it (~0,6 s) and the broker's hand-over.
        own = (run.finished_at - run.started_at).total_seconds()
        print(f"    the run itself (started → finished): {own:.2f} s")
        return seconds
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)


def incremental(as_of) -> None:
    """Import 50.000 new activations into one kabupaten, then recompute what they touched."""
    from kecamatan.models import Activation, Region
    from kecamatan.progress.runs import facts_scopes, facts_update, incremental_units, recompute_run
    from kecamatan.uploads.service import upload_create, upload_run

    kab = "33.11"
    desa = list(
        Region.objects.filter(code__startswith=f"{kab}.", depth=4).values_list("code", flat=True)
    )
    if Activation.objects.filter(upload__isnull=False).delete()[0]:  # an earlier run's import
        facts_update(scopes=facts_scopes(regions=desa))  # deleting is not an import: rebuild
    path = Path(tempfile.mkdtemp()) / "aktivasi.csv"
    with open(path, "w") as f:
        f.write("nik,tanggal_aktivasi,kode_wilayah\n")
        for i in range(50_000):
            code = desa[i % len(desa)]
            day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30
            region6, serial = code[:8].replace(".", ""), 9000 + i // 10080
            nik = f"{region6}{day + 40:02d}{month:02d}{year:02d}{serial:04d}"
            f.write(f"{nik},{as_of - dt.timedelta(days=i % 20)},{code}\n")
    from ikd_dashboard.celery import app

    app.conf.task_always_eager = False  # the import's own follow-up is what we time below
    upload = upload_create(kind="aktivasi", path=path, file_name=path.name, owns_file=False)
    report, _seconds = timed(
        "import of 50.000 rows into one kabupaten",
        lambda: upload_run(upload=upload, dry_run=False, path=path),
    )
    assert report.ok and report.rows_added == 50_000, report.message
    upload.refresh_from_db()
    units = incremental_units(regions=upload.touched_regions)
    assert len(units) == 1 and kab.startswith(units[0]), units
    run, _ = timed(
        "(3) incremental recompute after it (unit + above)",
        # The import moved the daily facts itself, in its transaction (uploads/merge.py).
        lambda: recompute_run(kind="import", units=units, as_of=as_of, facts=None),
        goal="1 s",
    )
    assert run.status == "success"
    path.unlink()


def api_time(as_of) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    # A viewer without the Pimpinan role: the first request after a new generation works out
    # which segments are shown combined (progress/disclosure.py), unless a run just did.
    start = time.perf_counter()
    assert client.get("/api/v1/progress/", {"region": "33.11"}).status_code == 200
    print(f"(4) API, first request of this process            {time.perf_counter() - start:7.2f} s")
    for region in ("33.11", "33"):
        samples = []
        for _ in range(30):
            start = time.perf_counter()
            response = client.get("/api/v1/progress/", {"region": region})
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        samples.sort()
        print(
            f"(4) API /api/v1/progress/?region={region:<6} "
            f"median {statistics.median(samples):6.1f} ms"
            f"  p95 {samples[int(len(samples) * 0.95) - 1]:6.1f} ms   goal ≤ 50 ms (kabupaten)"
        )


def between_nights() -> None:
    """What autovacuum does between two nights, untimed: it may be off on a benchmark server.
    An earlier run of the same date left its rows dead, and without fresh statistics a table
    the last run filled is planned as if it were still as small as before it."""
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE kecamatan_progresssnapshot")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activations", type=int, default=10_000_000)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument(
        "--steps", default="1,2,3,4", help="which timings to run, e.g. 1 while tuning; none: ''"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_recompute needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        build(args.activations)
    from kecamatan.progress.runs import recompute_run
    from kecamatan.progress.selectors import progress_data_date

    as_of = progress_data_date()
    if not args.skip_build:
        timed(
            "daily facts rebuilt from all activations (bulk load only)",
            lambda: recompute_run(as_of=as_of, facts="all", units=[]),
        )
    steps = set(filter(None, args.steps.split(",")))
    between_nights()
    if "1" in steps:
        by_kind = {}

        def timed_statement(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                kind = " ".join(str(sql).split()[:3])
                by_kind[kind] = by_kind.get(kind, 0) + time.perf_counter() - began

        with connection.execute_wrapper(timed_statement):
            run, seconds = timed(
                "(1) full nightly recompute, in-process (1 worker)",
                lambda: recompute_run(as_of=as_of, facts=None),
                goal="15 s",
            )
        print(f"    {len(run.units)} units, {run.rows:,} snapshot rows, status {run.status}")
        # Where it went: computing and writing the snapshots are one statement per unit.
        for kind, spent in sorted(by_kind.items(), key=lambda item: -item[1])[:3]:
            print(f"    {spent:6.2f} s  {kind} …")
        print(f"    {seconds - sum(by_kind.values()):6.2f} s  between statements")
        from kecamatan.progress.disclosure import combined_segments

        # What a worker does next, in a task of its own (kecamatan/tasks.py): not part of (1).
        timed("(1b) then: which segments are shown combined", combined_segments)
    if "2" in steps:
        if "1" in steps:
            between_nights()
        two = with_workers(2, as_of)
        print(f"{'(2) full recompute, 2 Celery workers':<58} {two:7.2f} s   goal ≤ 9 s")
    if "3" in steps:
        incremental(as_of)
    if "4" in steps:
        api_time(as_of)


if __name__ == "__main__":
    main()
