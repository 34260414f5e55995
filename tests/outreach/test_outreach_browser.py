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
from tests.outreach.outreach_data import visit

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


QUEUE = "JSON.parse(localStorage.getItem('ikd-jemput-bola-antrean:{user}') || '[]')"
QUEUE_EMPTY = QUEUE.format(user="petugas") + ".length === 0"


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
        "localStorage.setItem('ikd-jemput-bola-antrean:petugas', "
        f"JSON.stringify([{json.dumps(entry)}]))"
    )
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(page, QUEUE_EMPTY)
    assert Visit.objects.count() == 1


def _kept_entry_page(page, site) -> None:
    """Open the entry page under the service worker, which keeps a copy of it."""
    page.goto(f"{site}/jemput-bola/catat/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    _wait(page, "caches.match('/jemput-bola/catat/').then(r => !!r)")


API_VISITS = "**/api/v1/outreach/visits/"
KEPT_CACHES = "caches.keys().then(k => k.filter(n => n.startsWith('ikd-jemput-bola:')).length)"


def test_signing_out_empties_the_phone_of_the_accounts_entries_and_kept_page(phone, site):
    """Privacy, third round, finding 6: signed out, offline, the page still showed the
    officer's name, desa list and waiting entry."""
    page = phone.new_page()
    browser_login(page, site, "petugas")
    _kept_entry_page(page, site)
    page.route(API_VISITS, lambda route: route.abort())  # no signal for the API: it waits
    _fill_entry(page)
    page.get_by_test_id("entry-save").click()
    assert page.evaluate(QUEUE.format(user="petugas") + ".length") == 1
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator(".topbar").get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{site}/masuk/")
    assert asked and "1 catatan jemput bola yang belum terkirim" in asked[0]
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate(KEPT_CACHES) == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    phone.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{site}/jemput-bola/catat/")
    page.wait_for_load_state()  # the browser's own "no connection" page, not ours
    assert page.locator("#entry-form").count() == 0
    assert "SMK N 1 Weru" not in page.content() and "petugas" not in page.content()
    assert Visit.objects.count() == 0


def test_an_entry_left_by_one_account_is_never_sent_with_anothers_session(phone, site):
    from django.contrib.auth.models import Group, User

    from kecamatan.models import UserRegion
    from tests.conftest import PASSWORD

    other = User.objects.create_user("petugas2", password=PASSWORD)
    other.groups.add(Group.objects.get(name="Petugas"))
    UserRegion.objects.create(user=other, region_id="33.11.01")
    page = phone.new_page()
    browser_login(page, site, "petugas")
    _kept_entry_page(page, site)
    page.route(API_VISITS, lambda route: route.abort())
    _fill_entry(page)
    page.get_by_test_id("entry-save").click()
    page.unroute(API_VISITS)
    stale = page  # the first account's page, left open
    # The session ends (as after eight hours) without signing out; the next visit goes to sign
    # in, and the page kept for use without a signal goes with it.
    phone.clear_cookies()
    page = phone.new_page()
    page.goto(f"{site}/jemput-bola/catat/")
    assert page.url.startswith(f"{site}/masuk/")
    _wait(page, KEPT_CACHES + ".then(n => n === 0)")
    browser_login(page, site, "petugas2")
    page.goto(f"{site}/jemput-bola/catat/")
    others = page.get_by_test_id("entry-others")
    assert others.is_visible() and "(petugas)" in others.inner_text()
    assert page.get_by_test_id("entry-queue").is_hidden()
    page.wait_for_timeout(1500)  # the page's own sending has had its chance
    assert Visit.objects.count() == 0
    # The first account's page, still open, tries with the second account's session: refused,
    # and the entry keeps waiting for its owner (not marked as rejected).
    stale.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(stale, "document.querySelector('#entry-queue-note a') !== null")
    assert Visit.objects.count() == 0
    kept = page.evaluate(QUEUE.format(user="petugas"))
    assert len(kept) == 1 and "errors" not in kept[0]  # kept for its owner, still to be sent
    # Sent by hand with the other session, the entry is refused, and the answer says why.
    answer = page.evaluate(
        """() => {
          const entry = JSON.parse(localStorage.getItem('ikd-jemput-bola-antrean:petugas'))[0];
          const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
          return fetch('/api/v1/outreach/visits/', {method: 'POST', headers: {
            'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify(entry.body)}).then(r => r.json().then(b => [r.status, b]));
        }"""
    )
    # (In the browser's language: the message names both accounts either way.)
    refusal = answer[1]["errors"]["author"]
    assert answer[0] == 400 and "petugas," in refusal and "petugas2" in refusal
    assert Visit.objects.count() == 0
    # Back with its owner, the entry goes.
    phone.clear_cookies()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    _wait(page, QUEUE_EMPTY)
    stored = Visit.objects.get()
    assert (stored.created_by.username, stored.location) == ("petugas", "SMK N 1 Weru")


def test_the_entry_page_is_kept_on_the_phone_to_open_without_a_signal(phone, site):
    page = phone.new_page()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps a copy of the page
    _wait(page, "caches.match('/jemput-bola/catat/').then(r => !!r)")
    # Everything the page loads is kept too (the browser's own cache may not survive offline).
    loaded = page.evaluate(
        "Array.from(document.querySelectorAll('script[src], link[href]'))"
        ".map(e => new URL(e.src || e.href).pathname)"
    )
    assert {"/static/js/dates.js", "/static/js/menu.js"} <= set(loaded)
    for path in loaded:
        _wait(page, f"caches.match('{path}').then(r => !!r)", seconds=5)
    phone.set_offline(True)
    page.reload()
    assert page.locator("#entry-form").is_visible()
    assert "Tanpa sinyal" in page.locator("#entry-net").inner_text()
    # What the page loads came from the phone too: the date in words, the steppers, the menu.
    page.fill("#id_day", "08/04/2025")
    assert page.locator("#id_day-words").inner_text() == "8 April 2025"
    assert page.locator(".count-field.big .stepper button").count() == 2
    page.locator(".topbar").get_by_role("button", name="Menu").click()
    assert page.locator("#topnav").get_by_role("link", name="Jemput bola").is_visible()
    # Opened the next day, still without a signal: the kept page's date moves to the phone's.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.clock.set_system_time(dt.datetime.combine(tomorrow, dt.time(5), tzinfo=dt.UTC))
    page.reload()
    assert page.locator("#id_day").input_value() == f"{tomorrow:%d/%m/%Y}"


def test_a_date_typed_day_month_year_offline_arrives_as_that_day(phone, site):
    page = phone.new_page()
    browser_login(page, site, "petugas")
    page.goto(f"{site}/jemput-bola/catat/")
    phone.set_offline(True)
    _fill_entry(page)
    page.fill("#id_day", "31/02/2025")  # no such day: not kept, and said so
    assert page.locator("#id_day-words").inner_text() == "dd/mm/yyyy"
    page.get_by_test_id("entry-save").click()
    assert page.evaluate("document.getElementById('id_day').validationMessage").startswith(
        "Tulis tanggal sebagai hh/bb/tttt"
    )
    assert page.evaluate(QUEUE_EMPTY)
    page.fill("#id_day", "07/04/2025")
    assert page.locator("#id_day-words").inner_text() == "7 April 2025"
    page.get_by_test_id("entry-save").click()
    queue = page.get_by_test_id("entry-queue").inner_text()
    assert "SMK N 1 Weru · 07/04/2025 · 3 aktivasi" in queue
    phone.set_offline(False)
    _wait(page, QUEUE_EMPTY)
    stored = Visit.objects.get()
    assert (stored.held_on, stored.planned_on) == (dt.date(2025, 4, 7), dt.date(2025, 4, 7))


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

    from tests.outreach.outreach_data import outreach_visits_create

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
        if size == "phone":  # the menu folds behind its button, which opens it on every page
            page.locator(".topbar").get_by_role("button", name="Menu").click()
            assert page.locator("#topnav").get_by_role("button", name="Keluar").is_visible()
            page.locator(".topbar").get_by_role("button", name="Menu").click()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"outreach-{name}-{size}.png", full_page=True)
        serious = axe_serious(page)
        assert serious == [], serious
        assert refused == []
    finally:
        context.close()
