"""Time and peak memory of checking each hostile file, and the largest legitimate XLSX, each in a
fresh process (so the peak is that file's own): the limits docs/data-formats.md promises.

    DATABASE_URL=... python bench/bench_hostile.py      (regions loaded: load_regions or load_demo)

Prints one line per file: outcome, seconds, peak RSS of the process in MB. Goal: every check
under 10 s and 150 MB.
"""

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECK = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
import django; django.setup()
from pathlib import Path
from kecamatan.uploads.load import import_file
started = time.monotonic()
report = import_file(kind=sys.argv[2], path=Path(sys.argv[1]), dry_run=True)
seconds = time.monotonic() - started
# VmHWM is this program's own peak; ru_maxrss would count the parent's pages at fork.
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
peak = int(status["VmHWM"].split()[0]) / 1024
print(f"{'ok' if report.ok else 'refused'}\\t{seconds:.2f}\\t{peak:.0f}")
"""


def largest_xlsx() -> bytes:
    """A legitimate activation list at the row limit (XLSX_MAX_ROWS)."""
    from openpyxl import Workbook

    from kecamatan.uploads.readers import XLSX_MAX_ROWS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["nik", "tanggal_aktivasi", "kode_wilayah", "segmen", "lokasi"])
    for i in range(XLSX_MAX_ROWS):  # every NIK different and well-formed
        birth = f"{i % 28 + 1:02d}{i // 28 % 12 + 1:02d}{i // 336 % 100:02d}"
        nik = f"331101{birth}{i // 33600 + 1:04d}"
        sheet.append([nik, "2025-04-08", "33.11.01.2001", "umum", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
    import django

    django.setup()
    from tests.uploads.hostile_corpus import hostile_corpus

    cases = [(c.name, c.kind, c.data) for c in hostile_corpus()]
    cases.append(("largest-legitimate-xlsx", "aktivasi", largest_xlsx()))
    # A file at the upload limit (UPLOAD_MAX_BYTES) of rows that are all wrong.
    from django.conf import settings

    wrong = b"331101410190x,2025-13-45,99.99\n"
    garbage = b"nik,tanggal_aktivasi,kode_wilayah\n" + wrong * (
        (settings.UPLOAD_MAX_BYTES - 40) // len(wrong)
    )
    cases.append(("garbage-csv-at-the-upload-limit", "aktivasi", garbage))
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for name, kind, data in cases:
            path = Path(folder) / name
            if data is None:
                with open(path, "wb") as out:
                    out.write(b"nik,tanggal_aktivasi,kode_wilayah\n")
                    for _ in range(650):
                        out.write(b"331101410190x,2025-13-45,99.99\n" * 10_000)
            else:
                path.write_bytes(data)
            result = subprocess.run(
                [sys.executable, "-c", CHECK, str(path), kind],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            outcome, seconds, peak = result.stdout.strip().splitlines()[-1].split("\t")
            worst = (max(worst[0], float(seconds)), max(worst[1], float(peak)))
            size = path.stat().st_size / 1024
            print(f"{name:36} {size:9.0f} KB  {outcome:8} {seconds:>6} s {peak:>5} MB")
    print(f"worst: {worst[0]:.2f} s, {worst[1]:.0f} MB (goal: under 10 s and 150 MB)")


if __name__ == "__main__":
    main()
