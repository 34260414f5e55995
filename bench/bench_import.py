"""Import benchmark: 1,000,000 activation rows on PostgreSQL, against a raw COPY of the same rows.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench python bench/bench_import.py [N]

Times, in one run:
  (a) a raw COPY of the same rows, hashes precomputed, into a bare copy of the activation table
      with the same indexes — the floor any import could reach;
  (b) our full import: parse, validate, hash, dedupe, write, upload record — in a child process,
      so its peak RSS is its own;
  (c) the same rows again (re-exported with CRLF line endings, so not byte-identical): must add
      nothing and take no longer than (b).
Goals: (b)/(a) ≤ 2.0 and peak RSS ≤ 150 MB. The database's own work is in (a) and (b) alike.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
os.environ.pop("CELERY_BROKER_URL", None)  # the recompute after import runs in-process

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SEED = 1_000_000


def generate(path: Path, hashed_path: Path, rows: int) -> None:
    """A realistic aktivasi export, and the same rows as (hash, date, desa, segment, place)."""
    from kecamatan.models import Region
    from kecamatan.nik import nik_hash

    rng = random.Random(SEED)
    desa = list(Region.objects.filter(depth=4).values_list("code", flat=True))
    segments = ["umum"] * 14 + ["pelajar"] * 3 + ["asn", "pppk", "tni", "polri", "bumn", "bumd"]
    places = ["desa", "kecamatan", "dinas", "sekolah", "pasar", "instansi", "mandiri", "lainnya"]
    dates = [f"2025-{m:02d}-{d:02d}" for m in range(1, 4) for d in range(1, 29)]
    dates += [f"{y}-{m:02d}-{d:02d}" for y in (2023, 2024) for m in range(1, 13) for d in (5, 17)]
    with open(path, "w") as out, open(hashed_path, "w") as hashed:
        out.write("nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi\n")
        for i in range(rows):
            code = rng.choice(desa)
            region6 = code[:8].replace(".", "")
            # Unique by construction: row number → (birth day, month, year, serial).
            day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 60 + (i // 336) % 40
            serial = 1 + i // 13_440
            day += 40 if rng.random() < 0.5 else 0  # women
            nik = f"{region6}{day:02d}{month:02d}{year:02d}{serial:04d}"
            date, segment, place = rng.choice(dates), rng.choice(segments), rng.choice(places)
            out.write(f"{nik},{date},{code},{segment},{place}\n")
            hashed.write(f"{nik_hash(nik)},{date},{code},{segment},{place},2025-04-09 00:00+07\n")


def raw_copy(hashed_path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_activation_copy")
        cursor.execute(
            "CREATE TABLE bench_activation_copy (LIKE kecamatan_activation INCLUDING ALL)"
        )
        start = time.perf_counter()
        with open(hashed_path) as f:
            cursor.copy_expert(
                "COPY bench_activation_copy (nik_hash, activated_on, region_id, segment_id, place, "
                "created_at) FROM STDIN WITH (FORMAT csv)",
                f,
            )
        seconds = time.perf_counter() - start
        cursor.execute("SELECT COUNT(*) FROM bench_activation_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_activation_copy")
    return seconds, copied


def child_import(path: Path) -> dict:
    """Run (b) or (c) in a fresh process and read its figures, peak RSS included."""
    result = subprocess.run(
        [sys.executable, __file__, "--import", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_in_this_process(path: Path) -> None:
    from ikd_dashboard.celery import app
    from kecamatan.uploads.service import upload_create, upload_run

    # The recompute that follows an import is queued (to nowhere here): not part of (b).
    app.conf.task_always_eager = False
    start = time.perf_counter()
    upload = upload_create(kind="aktivasi", path=path, file_name=path.name, owns_file=False)
    report = upload_run(upload=upload, dry_run=False, path=path)
    seconds = time.perf_counter() - start
    # Measured in the child itself: a fork would otherwise carry the parent's pages.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak_mb,
                "ok": report.ok,
                "read": report.rows_read,
                "added": report.rows_added,
                "known": report.rows_known,
                "rejected": report.rows_rejected,
                "message": report.message,
            }
        )
    )


def main(rows: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench_import needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_regions", stdout=devnull)
    from kecamatan.models import Activation, ProgressSnapshot, Upload

    ProgressSnapshot.objects.all().delete()
    Activation.objects.all().delete()
    Upload.objects.all().delete()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path, hashed, again = work / "aktivasi.csv", work / "hashed.csv", work / "aktivasi-crlf.csv"
    start = time.perf_counter()
    generate(path, hashed, rows)
    with open(path, "rb") as src, open(again, "wb") as dst:
        for line in src:
            dst.write(line.replace(b"\n", b"\r\n"))
    print(
        f"generated {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - start:.1f} s"
    )

    copy_seconds, copied = raw_copy(hashed)
    first = child_import(path)
    second = child_import(again)
    assert first["ok"] and second["ok"], (first, second)
    copy_rate = copied / copy_seconds
    print(f"(a) raw COPY, hashes precomputed    {copy_seconds:6.2f} s  {copy_rate:>9,.0f} rows/s")
    print(
        f"(b) full import                     {first['seconds']:6.2f} s  "
        f"{rows / first['seconds']:>9,.0f} rows/s  peak RSS {first['peak_rss_mb']:.0f} MB  "
        f"added {first['added']:,}"
    )
    print(
        f"(c) same rows again (CRLF)          {second['seconds']:6.2f} s  "
        f"{rows / second['seconds']:>9,.0f} rows/s  peak RSS {second['peak_rss_mb']:.0f} MB  "
        f"added {second['added']:,}, known {second['known']:,}"
    )
    print(f"ratio (b)/(a) = {first['seconds'] / copy_seconds:.2f}   goal ≤ 2.0")
    print(
        f"(c) ≤ (b): {second['seconds'] <= first['seconds']}; (c) added nothing: "
        f"{second['added'] == 0}"
    )
    for f in (path, hashed, again):
        f.unlink()
    work.rmdir()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--import":
        import_in_this_process(Path(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
