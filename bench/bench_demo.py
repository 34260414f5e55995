"""Times `load_demo` (the brief: under a minute on SQLite) and the recompute on its data.

Usage: python bench/bench_demo.py   (uses DATABASE_URL when set, else a throwaway SQLite file)
Prints one line per step; copy the figures into docs/performance.md.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.pop("CELERY_BROKER_URL", None)  # the demo's recompute runs in-process here

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from kecamatan.progress.runs import progress_recompute  # noqa: E402


def timed(label: str, fn, repeat: int = 1) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    print(f"{label:<40} best {min(runs):6.2f} s   of {repeat} run(s)")


def main() -> None:
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        timed("load_demo (incl. recompute)", lambda: call_command("load_demo", stdout=devnull), 3)
    timed("recompute_progress (2,160 rows)", lambda: progress_recompute(), 5)


if __name__ == "__main__":
    main()
