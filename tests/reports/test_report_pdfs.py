"""The month's PDF is printed once and served from storage: ten people asking at once make one
render, and the rest of the site (/health/ here) keeps answering while it prints."""

import datetime as dt
import io
import os
import signal
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from ikd_dashboard.chromium import html_to_pdf, printer_browser_pid
from kecamatan.progress.runs import recompute_run
from reports import views
from reports.models import ReportPdf
from tests.conftest import CHROMIUM, small_kabupaten_create

pytestmark = pytest.mark.browser


@pytest.fixture
def renders(monkeypatch):
    """The real printer, counted."""
    calls = []
    real = views.report_pdf

    def counted(context):
        calls.append(threading.get_ident())
        return real(context)

    monkeypatch.setattr(views, "report_pdf", counted)
    return calls


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _get(url: str, cookie: str = "") -> tuple[int, bytes, float]:
    started = time.monotonic()
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 — our live server
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.status, response.read(), time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_ten_downloads_at_once_make_one_render_and_health_stays_fast(
    live_server, staf, pimpinan, renders
):
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed")
    small_kabupaten_create()
    recompute_run(kind="nightly", as_of=dt.date(2025, 4, 10))
    cookie = _session_cookie(staf)
    url = f"{live_server.url}/laporan/2025/4/unduh.pdf"
    results, barrier = [], threading.Barrier(10)

    def download():
        barrier.wait()
        results.append(_get(url, cookie))

    threads = [threading.Thread(target=download) for _ in range(10)]
    for thread in threads:
        thread.start()
    health = []
    while any(t.is_alive() for t in threads):
        status, _body, seconds = _get(f"{live_server.url}/health/")
        health.append((status, seconds))
        time.sleep(0.1)
    for thread in threads:
        thread.join()

    assert len(results) == 10 and {status for status, _b, _s in results} == {200}
    assert len({body for _s, body, _t in results}) == 1 and results[0][1].startswith(b"%PDF")
    assert len(renders) == 1
    assert len(health) >= 5  # it really was asked while the PDF printed
    assert {status for status, _s in health} == {200}
    print(f"health: {len(health)} answers, slowest {max(s for _st, s in health):.3f} s")
    assert max(seconds for _s, seconds in health) < 1.0, health

    # Served from storage from now on; another audience is another PDF, printed once.
    assert _get(url, cookie)[1] == results[0][1] and len(renders) == 1
    assert _get(url, _session_cookie(pimpinan))[0] == 200 and len(renders) == 2
    assert sorted(ReportPdf.objects.values_list("audience", flat=True)) == ["full", "restricted"]
    # New data (a new recompute run) makes a new draft; the old one is dropped.
    recompute_run(kind="manual", as_of=dt.date(2025, 4, 10))
    assert _get(url, cookie)[0] == 200 and len(renders) == 3
    assert ReportPdf.objects.filter(audience="restricted").count() == 1


def test_the_printer_keeps_one_chromium_replaces_a_dead_one_and_closes_an_idle_one(settings):
    html = "<!doctype html><html><body><p>IKD</p></body></html>"
    assert html_to_pdf(html, header="a").startswith(b"%PDF")
    kept = printer_browser_pid()
    assert kept is not None and Path(f"/proc/{kept}").exists()
    # The next print, in the language of the request that asks for it, uses the same Chromium.
    with translation.override("en"):
        pdf = html_to_pdf(html, header="a")
    assert "Page 1 of 1" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert printer_browser_pid() == kept

    os.kill(kept, signal.SIGKILL)  # it dies (out of memory, say): the next print still works
    assert html_to_pdf(html, header="a").startswith(b"%PDF")
    replaced = printer_browser_pid()
    assert replaced not in (None, kept)

    settings.REPORT_PDF_BROWSER_IDLE_SECONDS = 1  # idle that long: closed, its memory given back
    deadline = time.monotonic() + 30
    while printer_browser_pid() is not None or Path(f"/proc/{replaced}").exists():
        assert time.monotonic() < deadline, "the idle Chromium was not closed"
        time.sleep(0.2)
