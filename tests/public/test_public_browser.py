"""The open page in a real browser (system Chromium through Playwright) on a 390×844 phone: a
visitor, not signed in, reads the figures, asks for a visit through the form — a mistake shown
at its field first — and lands on the status page of the request."""

import datetime as dt

import pytest

from ikd_dashboard.dates import today_jakarta
from kecamatan.models import VisitRequest
from tests.conftest import ARTIFACTS, axe_serious, charts_drawn, csp_refusals
from tests.public.public_data import april_issued

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(live_server, transactional_db, small_kabupaten, settings):
    settings.PUBLIC_PAGE = True
    april_issued()
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_a_visitor_on_a_phone_asks_for_a_visit_and_sees_its_status(phone, site):
    page = phone.new_page()
    refused = csp_refusals(page)
    page.goto(f"{site}/publik/")
    assert page.get_by_test_id("public-percent").inner_text() == "12,4%"
    charts_drawn(page)
    assert axe_serious(page) == []
    page.get_by_test_id("public-request-link").click()
    page.wait_for_url("**/publik/minta-kunjungan/")
    assert axe_serious(page) == []

    page.fill("#id_group_name", "SMA N 1 Weru")
    page.select_option("#id_kind", "sekolah")
    page.fill("#id_location", "Aula SMA N 1 Weru")
    page.fill("input.region-search", "alaso")  # the search picks the one desa left
    assert page.input_value("#id_region") == "33.11.01.2001"
    page.fill("#id_expected", "45")
    first = today_jakarta() + dt.timedelta(days=7)
    page.fill("#id_preferred_from", first.strftime("%d/%m/%Y"))
    page.fill("#id_preferred_to", (first + dt.timedelta(days=4)).strftime("%d/%m/%Y"))
    page.fill("#id_requester", "Sri Wahyuni")
    page.fill("#id_contact", "0812 3456 7890")
    page.fill("#id_note", "NIK 3311015708900003")  # refused: no NIK is taken
    page.get_by_role("button", name="Kirim permintaan").click()
    page.wait_for_load_state()
    assert (
        "Jangan menulis NIK di sini"
        in page.locator(".field", has=page.locator("#id_note")).inner_text()
    )
    assert VisitRequest.objects.count() == 0

    page.fill("#id_note", "Siswa kelas XII, aula lantai 2.")
    page.get_by_role("button", name="Kirim permintaan").click()
    page.wait_for_url("**/publik/permintaan/*/")
    status = page.get_by_test_id("request-status").inner_text()
    assert "Menunggu keputusan" in status
    assert "SMA N 1 Weru" in page.content() and "Sri Wahyuni" not in page.content()
    # Nothing wider than the phone, and nothing the Content-Security-Policy had to block.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert refused == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-request-status-phone.png"), full_page=True)
