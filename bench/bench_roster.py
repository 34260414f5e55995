"""Roster benchmark: 100,000 institution members against 1,000,000 activations, on PostgreSQL.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench python bench/bench_roster.py \
    [MEMBERS] [ACTIVATIONS]

Times, in one run:
  (a) the roster import — parse, validate, hash, stage with COPY, replace every institution's
      roster, upload record — in a child process, so its peak RSS is its own;
  (b) the same file with every roster changed (a tenth of the people moved): the replace;
  (c) progress per institution as of a date (the GROUP BY joining rosters to activations by
      hash, targets, and the privacy step), for the kabupaten, one kecamatan and one kind, and
      the pages /instansi/ and /api/v1/institutions/ as Staf;
  (d) check my list: the largest list allowed (20,000 rows) as CSV and as XLSX, in memory.
Goals: (a) under 30 s and 150 MB, (c) under 1 s for the whole kabupaten, (d) under 10 s.
"""

import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SEED = 100_000
INSTITUTIONS = 1_000
KINDS = ["opd"] * 5 + ["sekolah"] * 3 + ["bumn", "bumd", "tni", "polri"]


def _nik(i: int, region6: str) -> str:
    """Unique by construction: row number → (birth day, month, year, serial)."""
    day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 60 + (i // 336) % 40
    return f"{region6}{day:02d}{month:02d}{year:02d}{1 + i // 13_440:04d}"


def activations_load(count: int) -> list[str]:
    """`count` activations straight into the store with COPY; their NIKs, for the rosters."""
    from kecamatan.models import Region
    from kecamatan.nik import nik_hash

    rng = random.Random(SEED)
    desa = list(Region.objects.filter(depth=4).values_list("code", flat=True))
    niks, lines = [], io.StringIO()
    for i in range(count):
        code = rng.choice(desa)
        nik = _nik(i, code[:8].replace(".", ""))
        niks.append(nik)
        day = f"{rng.choice((2023, 2024, 2025))}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
        lines.write(f"{nik_hash(nik)},{day},{code},umum,lainnya,2025-04-09 00:00+07\n")
    lines.seek(0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE kecamatan_activation CASCADE")
        cursor.copy_expert(
            "COPY kecamatan_activation (nik_hash, activated_on, region_id, segment_id, place, "
            "created_at) FROM STDIN WITH (FORMAT csv)",
            lines,
        )
    return niks


def roster_write(path: Path, niks: list[str], members: int, *, moved: float = 0.0) -> None:
    """`members` rows over INSTITUTIONS institutions: 60% activated people, the rest not, 3%
    with a NIK issued in Surakarta; names and positions that the import must ignore."""
    rng = random.Random(SEED + int(moved * 100))
    kecamatan = [f"33.11.{k:02d}" for k in range(1, 13)]
    with open(path, "w") as out:
        out.write("kode_instansi,nama_instansi,jenis,kode_wilayah,nik,nama,jabatan\n")
        for i in range(members):
            unit = i % INSTITUTIONS
            if moved and rng.random() < moved:
                unit = rng.randrange(INSTITUTIONS)  # moved to another institution
            kind = KINDS[unit % len(KINDS)]
            where = kecamatan[unit % 12]
            if rng.random() < 0.6:
                nik = niks[rng.randrange(len(niks))]
            else:
                nik = _nik(2_000_000 + i, "337201" if rng.random() < 0.05 else "331104")
            out.write(
                f"U{unit:04d},Instansi {unit},{kind},{where},{nik},Pegawai {i},Staf pelaksana\n"
            )


def child_import(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--import", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_in_this_process(path: Path) -> None:
    from kecamatan.uploads.service import upload_create, upload_run

    start = time.perf_counter()
    upload = upload_create(kind="roster", path=path, file_name=path.name, owns_file=False)
    report = upload_run(upload=upload, dry_run=False, path=path)
    seconds = time.perf_counter() - start
    # VmHWM is this process's own peak; ru_maxrss would count the parent's pages at fork.
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f)
    peak_mb = int(status["VmHWM"].split()[0]) / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak_mb,
                "ok": report.ok,
                "message": report.message,
                "added": report.rows_added,
                "known": report.rows_known,
                "left": report.rows_replaced,
            }
        )
    )


def _timed(function, runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def progress_times() -> list[tuple[str, float, float]]:
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from kecamatan.institutions.selectors import institution_figures
    from kecamatan.models import Region
    from kecamatan.progress.disclosure import institutions_for_viewer

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    as_of = dt.date(2025, 4, 9)
    staf, _created = User.objects.get_or_create(username="bench-staf")
    staf.groups.add(Group.objects.get(name="Staf"))
    client = Client()
    client.force_login(staf)
    weru = Region.objects.get(code="33.11.01")
    results = []
    for label, call in (
        ("kabupaten, 1.000 institutions", lambda: institution_figures(as_of=as_of)),
        ("one kecamatan", lambda: institution_figures(as_of=as_of, region=weru)),
        ("one kind (opd)", lambda: institution_figures(as_of=as_of, kind="opd")),
        (
            "kabupaten + privacy (Staf)",
            lambda: institutions_for_viewer(institution_figures(as_of=as_of), user=staf),
        ),
        ("page /instansi/ (Staf)", lambda: client.get("/instansi/")),
        ("GET /api/v1/institutions/", lambda: client.get("/api/v1/institutions/")),
        ("download /instansi/unduh.xlsx", lambda: client.get("/instansi/unduh.xlsx")),
    ):
        median, worst = _timed(call)
        results.append((label, median, worst))
    return results


def check_times(niks: list[str]) -> list[tuple[str, float, int]]:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from kecamatan.institutions.check import MAX_ROWS, roster_check

    admin, _created = User.objects.get_or_create(username="bench-admin")
    rng = random.Random(SEED + 1)
    rows = [
        (
            f"{i + 1}",
            f"Pegawai {i}",
            niks[rng.randrange(len(niks))] if i % 2 else _nik(3_000_000 + i, "331104"),
            "Guru",
        )
        for i in range(MAX_ROWS)
    ]
    csv_body = "no,nama,nik,jabatan\n" + "\n".join(",".join(r) for r in rows) + "\n"
    book = Workbook()
    sheet = book.active
    sheet.append(["no", "nama", "nik", "jabatan"])
    for row in rows:
        sheet.append(list(row))
    xlsx = io.BytesIO()
    book.save(xlsx)
    results = []
    for name, body in (("daftar.csv", csv_body.encode()), ("daftar.xlsx", xlsx.getvalue())):
        cache.clear()  # the hourly and daily limits
        start = time.perf_counter()
        result = roster_check(uploaded_file=SimpleUploadedFile(name, body), user=admin)
        results.append((name, time.perf_counter() - start, result.found))
    return results


def main(members: int, activations: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench_roster needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_regions", stdout=devnull)
    from kecamatan.models import Institution, Upload

    Institution.objects.all().delete()
    Upload.objects.all().delete()
    start = time.perf_counter()
    niks = activations_load(activations)
    print(f"loaded {activations:,} activations in {time.perf_counter() - start:.1f} s")
    work = Path(tempfile.mkdtemp(prefix="bench-roster-"))
    first, moved = work / "daftar.csv", work / "daftar-pindah.csv"
    roster_write(first, niks, members)
    roster_write(moved, niks, members, moved=0.1)
    print(f"roster file: {members:,} rows, {first.stat().st_size / 1e6:.1f} MB")
    a = child_import(first)
    b = child_import(moved)
    assert a["ok"] and b["ok"], (a, b)
    print(
        f"(a) roster import                 {a['seconds']:6.2f} s  "
        f"{members / a['seconds']:>8,.0f} rows/s  peak RSS {a['peak_rss_mb']:.0f} MB  "
        f"added {a['added']:,}"
    )
    print(
        f"(b) every roster replaced         {b['seconds']:6.2f} s  "
        f"{members / b['seconds']:>8,.0f} rows/s  peak RSS {b['peak_rss_mb']:.0f} MB  "
        f"added {b['added']:,}, kept {b['known']:,}, left {b['left']:,}"
    )
    for label, median, worst in progress_times():
        print(f"(c) {label:<32} median {median * 1000:7.0f} ms  worst {worst * 1000:7.0f} ms")
    for name, seconds, found in check_times(niks):
        print(f"(d) check 20.000 rows ({name:<11})  {seconds:6.2f} s  found {found:,}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--import":
        import_in_this_process(Path(sys.argv[2]))
    else:
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000,
        )
