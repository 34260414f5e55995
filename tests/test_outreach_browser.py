"""The phone entry in a real browser (system Chromium through Playwright), at phone size: made
without a signal, kept on the phone, sent once when the signal returns."""

import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from kecamatan.models import Visit
from kecamatan.progress.runs import progress_recompute
from tests.conftest import ARTIFACTS, axe_serious, browser_login, csp_refusals
from tests.outreach_data import visit

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(live_server, transactional_db, small_kabupaten, petugas):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


def _wait(page, script: str, seconds: float = 15) -> None:
    """Wait until `script` is true in the page (wait_for_function evaluates text, which our
    CSP forbids — as it should)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        page.wait_for_timeout(100)


QUEUE_EMPTY = "JSON.parse(localStorage.getItem('ikd-jemput-bola-antrean') || '[]').length === 0"


def _fill_entry(page) -> None:
    page.select_option("#id_region", "33.11.01.2002")
    page.get_by_label("Sekolah", exact=True).check()
    page.fill("#id_location", "SMK N 1 Weru")
    plus = page.locator(".count-field.big .stepper button").last
    for _ in range(3):
        plus.click()
    email = page.locator(".reason-row", has_text="Tidak punya alamat email")
    email.locator("button").last.click()
    email.locator("button").last.click()


def test_an_entry_made_offline_is_sent_once_when_the_signal_returns(phone, site):
    page = phone.new_page()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.set_offline(True)
    _fill_entry(page)
    page.get_by_test_id("entry-save").click()
    queue = page.get_by_test_id("entry-queue")
    assert queue.is_visible() and "SMK N 1 Weru" in queue.inner_text()
    assert "Tanpa sinyal" in page.locator("#entry-net").inner_text()
    assert Visit.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "outreach-entry-offline-phone.png", full_page=True)
    phone.set_offline(False)
    _wait(page, QUEUE_EMPTY)
    assert "Terkirim" in page.get_by_test_id("entry-sent").inner_text()
    stored = Visit.objects.get()
    assert (stored.region_id, stored.place, stored.location) == (
        "33.11.01.2002",
        "sekolah",
        "SMK N 1 Weru",
    )
    assert (stored.status, stored.activated) == ("held", 3)
    assert dict(stored.failures.values_list("reason_id", "people")) == {"tanpa_email": 2}
    assert list(stored.officers.values_list("username", flat=True)) == ["petugas"]
    # The same entry once more (as after an answer lost on the way): still one visit.
    entry = {
        "body": {
            "client_id": str(stored.client_id),
            "status": "held",
            "region": "33.11.01.2002",
            "place": "sekolah",
            "location": "SMK N 1 Weru",
            "planned_on": stored.planned_on.isoformat(),
            "held_on": stored.held_on.isoformat(),
            "officers": ["petugas"],
            "expected": None,
            "activated": 3,
            "failed": {"tanpa_email": 2},
            "note": "",
        }
    }
    page.evaluate(
        f"localStorage.setItem('ikd-jemput-bola-antrean', JSON.stringify([{json.dumps(entry)}]))"
    )
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(page, QUEUE_EMPTY)
    assert Visit.objects.count() == 1


def test_the_entry_page_is_kept_on_the_phone_to_open_without_a_signal(phone, site):
    page = phone.new_page()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps a copy of the page
    _wait(page, "caches.match('/jemput-bola/catat/').then(r => !!r)")
    phone.set_offline(True)
    page.reload()
    assert page.locator("#entry-form").is_visible()
    assert "Tanpa sinyal" in page.locator("#entry-net").inner_text()


def test_a_planned_visits_result_is_entered_in_a_few_taps(phone, site, petugas):
    today = timezone.localdate()
    planned = visit(
        "33.11.01.2001", "desa", "Balai Desa Alasombo", "planned", today, [petugas], expected=40
    )
    page = phone.new_page()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    page.get_by_role("link", name="Balai Desa Alasombo").click()
    assert page.locator("#id_location").input_value() == "Balai Desa Alasombo"
    page.fill("#id_activated", "27")
    page.get_by_test_id("entry-save").click()
    _wait(page, QUEUE_EMPTY)
    planned.refresh_from_db()
    assert (planned.status, planned.activated, Visit.objects.count()) == ("held", 27, 1)
    page.screenshot(path=ARTIFACTS / "outreach-entry-phone.png", full_page=True)


OUTREACH_PAGES = [
    ("list", "/jemput-bola/?dari=2024-01-01"),
    ("entry", "/jemput-bola/catat/"),
    ("visit", "/jemput-bola/kunjungan/{V1}/"),
    ("yield", "/jemput-bola/hasil/?dari=2025-01-01"),
    ("next", "/jemput-bola/tujuan/"),
    ("plan", "/jemput-bola/rencana/"),
    ("reconcile", "/jemput-bola/selisih/?dari=2025-01-01"),
    ("calendar", "/jemput-bola/kalender/?minggu=2025-04-14"),
    ("recap", "/jemput-bola/rekap/?tanggal=2025-03-03"),
]


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize(("name", "path"), OUTREACH_PAGES)
def test_outreach_pages_pass_axe_and_fit_the_screen(
    browser, site, petugas, admin_user, name, path, size
):

    from tests.outreach_data import outreach_visits_create

    visits = outreach_visits_create(petugas=petugas, admin=admin_user)
    viewport = PHONE if size == "phone" else {"width": 1366, "height": 768}
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    refused = csp_refusals(page)  # anything the Content-Security-Policy blocked
    try:
        browser_login(page, site, "admin")
        page.goto(site + path.format(**{k: v.pk for k, v in visits.items()}))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"outreach-{name}-{size}.png", full_page=True)
        serious = axe_serious(page)
        assert serious == [], serious
        assert refused == []
    finally:
        context.close()
