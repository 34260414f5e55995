"""The monthly report PDF on the Sukoharjo demo: the first render of a month (no PDF stored
yet) and a download served from storage, through the real download view and Chromium.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench python bench/bench_pdf.py
       [--repeat 5] [--month 2025-04] [--out /tmp/report.pdf] [--no-load]

Loads the demo into that database (it replaces the demo tables) unless --no-load. Goal on the
2-core machine (issue 16, goal 5): the first render of a month ≤ 2.5 s. Measured as a Pimpinan
downloads the draft of the month (the case that renders at download: an issued report's PDF is
printed when it is issued, docs/performance.md), each time with the stored PDFs deleted first:
  cold  — this process has no Chromium yet (its first print, or the first after
          REPORT_PDF_BROWSER_IDLE_SECONDS idle): Playwright's driver and Chromium start first;
          every print cost this before Chromium was kept;
  warm  — the kept Chromium prints (every later first render of a month in this process);
  stored — the PDF is already stored: served without computing figures or printing.
The warm and cold renders are split into the figures, the HTML and the print.
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from ikd_dashboard import chromium  # noqa: E402
from kecamatan.pagecache import pages_changed  # noqa: E402
from reports import issue, views  # noqa: E402
from reports.models import ReportPdf  # noqa: E402

GOAL_SECONDS = 2.5


class Split:
    """Seconds spent in the parts of one download, by wrapping the functions the view calls."""

    def __init__(self):
        self.parts: dict[str, float] = {}
        for module, name, label in (
            (views, "_context", "figures"),
            (issue, "render_to_string", "html"),
            (issue, "html_to_pdf", "print"),
        ):
            setattr(module, name, self._timed(getattr(module, name), label))

    def _timed(self, function, label):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.parts[label] = self.parts.get(label, 0) + time.perf_counter() - started

        return timed


def kept_chromium_memory_mb() -> tuple[float, float]:
    """RSS and PSS (shared pages divided among their users) of what this process started and
    keeps between prints (Playwright's driver, Chromium and its children), in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], list(children.get(os.getpid(), []))
    while todo:
        tree.append(todo.pop())
        todo.extend(children.get(tree[-1], []))
    rss = pss = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def download(client: Client, url: str, split: Split) -> tuple[float, bytes, dict]:
    split.parts = {}
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    return seconds, response.content, dict(split.parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--month", default="2025-04")
    parser.add_argument("--out", default="")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)  # a fresh database is fine
    if not args.no_load:
        call_command("load_demo", stdout=io.StringIO())
    month = dt.date.fromisoformat(f"{args.month}-01")
    page_url = f"/laporan/{month.year}/{month.month}/"
    url = f"{page_url}unduh.pdf"
    client = Client()
    client.force_login(User.objects.get(username="pimpinan"))
    split = Split()

    def first_render(*, page_first: bool) -> tuple[float, bytes, dict]:
        ReportPdf.objects.filter(month=month).delete()
        pages_changed()  # nothing cached: the figures are computed by the page or the download
        if page_first:
            assert client.get(page_url).status_code == 200
        return download(client, url, split)

    def parts(split_parts: dict) -> str:
        return "  ".join(f"{k} {v:.2f}" for k, v in split_parts.items())

    runs: dict[str, list[float]] = {}
    for label, cold, page_first in (
        ("cold, direct link", True, False),
        ("kept Chromium, direct link", False, False),
        ("kept Chromium, from the page", False, True),
    ):
        for _ in range(max(1, args.repeat // 2) if cold else args.repeat):
            if cold:
                chromium._printer().submit(chromium.Printer.close).result()
            seconds, pdf, split_parts = first_render(page_first=page_first)
            runs.setdefault(label, []).append(seconds)
            print(f"{label:30} {seconds:6.2f} s   ({parts(split_parts)})")
    rss, pss = kept_chromium_memory_mb()
    stored = [download(client, url, split)[0] for _ in range(max(10, args.repeat))]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if args.out:
        Path(args.out).write_bytes(pdf)

    print()
    print(f"month {args.month}, draft, Pimpinan; PDF {len(pdf) / 1024:.0f} KB, {pages} pages")
    print(f"{'first render of the month':38} {'median s':>9} {'max s':>7}")
    for label, times in runs.items():
        print(f"  {label:36} {statistics.median(times):9.3f} {max(times):7.3f}")
    print(f"{'served from storage':38} {statistics.median(stored):9.3f} {max(stored):7.3f}")
    print(f"kept between prints (driver + Chromium): RSS {rss:.0f} MB, PSS {pss:.0f} MB")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    worst = max(statistics.median(times) for label, times in runs.items() if "kept" in label)
    verdict = "MET" if worst <= GOAL_SECONDS else "NOT MET"
    print(
        f"goal: first render of a month ≤ {GOAL_SECONDS} s (median, kept Chromium, direct "
        f"link or from the page): {verdict} ({worst:.2f} s); a process's first print also "
        "starts Chromium (cold)"
    )


if __name__ == "__main__":
    main()
