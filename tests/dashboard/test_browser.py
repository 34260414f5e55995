"""The pages in a real browser (system Chromium through Playwright)."""

import datetime as dt

import pytest

from kecamatan.progress.runs import progress_recompute
from tests.conftest import (
    ARTIFACTS,
    browser_login,
    charts_drawn,
    csp_refusals,
    small_kabupaten_create,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db, staf):
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


def test_without_a_login_the_dashboard_sends_you_to_the_login_page(page, site):
    page.goto(f"{site}/")
    assert "/masuk/" in page.url
    assert page.locator("h1").inner_text() == "Masuk"
    assert page.locator("#id_password").is_visible()


def test_staf_sees_the_headline_figures_and_the_rendered_gap_chart(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    assert page.get_by_test_id("holders").inner_text() == "2.300"
    assert page.get_by_test_id("activated").locator(".value").inner_text() == "280"
    assert page.get_by_test_id("percent").inner_text() == "12,2%"
    assert page.get_by_test_id("gap").locator(".value").inner_text() == "410"
    # plotly.js drew the chart: an SVG inside the chart element, one bar per kecamatan.
    page.wait_for_selector("#gap-chart svg.main-svg")
    assert page.locator("#gap-chart .bars .point").count() == 2
    page.wait_for_selector("#trend-chart svg.main-svg")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-desktop.png", full_page=True)


def test_on_a_phone_the_page_does_not_scroll_sideways(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    charts_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-phone.png", full_page=True)


@pytest.fixture
def admin_site(live_server, transactional_db, admin_user, staf, pimpinan, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


def test_an_admin_uploads_previews_confirms_and_the_dashboard_changes(page, admin_site, tmp_path):
    from tests.uploads.test_ingest import CANONICAL

    browser_login(page, admin_site, "admin")
    page.wait_for_url(f"{admin_site}/")
    assert page.get_by_test_id("activated").locator(".value").inner_text() == "280"
    page.get_by_role("link", name="Unggah data", exact=True).click()
    page.check("input[value=aktivasi]")
    path = tmp_path / "aktivasi-april.csv"
    path.write_text(CANONICAL.replace("2025-04-0", "2025-04-1"))  # 10–18 April: after the data
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    assert page.get_by_test_id("upload-status").inner_text() == "Siap diimpor"
    assert page.get_by_test_id("rows-added").inner_text() == "4"
    page.screenshot(path=ARTIFACTS / "upload-preview-desktop.png", full_page=True)
    page.get_by_role("button", name="Impor sekarang").click()
    assert page.get_by_test_id("upload-status").inner_text() == "Berhasil diimpor"
    page.goto(f"{admin_site}/")
    # The data now runs to 18 April: the 4 new people, and the 5 of 10 April already there.
    assert "Data lengkap s.d. 18 April 2025" in page.get_by_test_id("as-of").inner_text()
    assert page.get_by_test_id("activated").locator(".value").inner_text() == str(280 + 5 + 4)


@pytest.mark.parametrize("persona", ["staf", "pimpinan"])
def test_staf_and_pimpinan_are_refused_the_upload_page(page, admin_site, persona):
    browser_login(page, admin_site, persona)
    page.wait_for_url(f"{admin_site}/")
    response = page.goto(f"{admin_site}/unggah/")
    assert response.status == 403
    assert page.get_by_role("link", name="Unggah data", exact=True).count() == 0


# Every page an office user can open, signed in as an Admin (who sees them all).
PAGES_OPENED = [
    "/",
    "/wilayah/33.11.01/",
    "/laporan/",
    "/laporan/2025/04/",
    "/jemput-bola/",
    "/jemput-bola/catat/",
    "/jemput-bola/hasil/",
    "/jemput-bola/tujuan/",
    "/instansi/",
    "/instansi/cek/",
    "/unggah/",
    "/target/",
    "/hitung-ulang/",
    "/rekonsiliasi/",
    "/pengguna/",
    "/audit/",
    "/akun/sandi/",
    "/admin/",
]


def test_no_page_asks_anything_of_a_server_but_ours(page, admin_site):
    """Offices are on closed networks: no CDN, web font or map tile may be fetched."""
    from urllib.parse import urlsplit

    ours = urlsplit(admin_site).netloc
    elsewhere = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != ours
            else None
        ),
    )
    refused = csp_refusals(page)  # what the Content-Security-Policy stopped before a request
    page.goto(f"{admin_site}/masuk/")
    page.wait_for_load_state("networkidle")
    browser_login(page, admin_site, "admin")
    page.wait_for_url(f"{admin_site}/")
    for path in PAGES_OPENED:
        response = page.goto(f"{admin_site}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert elsewhere == [] and refused == []
