"""The institution pages in a real browser (system Chromium through Playwright): an Admin loads
a roster through the upload page and checks a list; the pages pass axe-core, fit a phone, and
draw their charts under the Content-Security-Policy."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from kecamatan.progress.runs import progress_recompute
from tests.conftest import (
    ARTIFACTS,
    axe_serious,
    browser_login,
    csp_refusals,
    small_kabupaten_create,
)
from tests.institutions.test_rosters import _lines

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def site(live_server, transactional_db, admin_user, staf, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    cache.clear()
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


def _upload_roster(page, site, tmp_path) -> None:
    page.goto(f"{site}/unggah/")
    page.check("input[value=roster]")
    path = tmp_path / "daftar-anggota.csv"
    path.write_text("\n".join(_lines()) + "\n")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Periksa berkas").click()


def test_an_admin_loads_a_roster_and_the_ranking_shows_it(page, site, tmp_path):
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    _upload_roster(page, site, tmp_path)
    assert page.get_by_test_id("upload-status").inner_text() == "Siap diimpor"
    assert page.get_by_test_id("rows-added").inner_text() == "27"
    institutions = page.get_by_test_id("upload-institutions")
    assert "Dinas Pendidikan" in institutions.inner_text() and "baru" in institutions.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "roster-preview-desktop.png", full_page=True)
    page.get_by_role("button", name="Impor sekarang").click()
    assert page.get_by_test_id("upload-status").inner_text() == "Berhasil diimpor"
    page.get_by_role("link", name="Instansi", exact=True).click()
    page.wait_for_selector("#ranking-chart svg.main-svg")
    # Every target is reached (the general 30%): the lowest percentage comes first.
    first = page.get_by_test_id("institutions").locator("tbody tr").first
    assert "SMA Negeri 1 Weru" in first.inner_text() and "60,0%" in first.inner_text()
    page.get_by_role("link", name="Dinas Pendidikan").click()
    page.wait_for_selector("#trend-chart svg.main-svg")
    assert page.get_by_test_id("institution-members").locator(".value").inner_text() == "13"


def test_an_admin_checks_a_list_and_downloads_it_with_the_statuses(page, site, tmp_path):
    from tests.institutions.test_roster_check import _list_csv

    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    page.goto(f"{site}/instansi/cek/")
    path = tmp_path / "guru.csv"
    path.write_bytes(_list_csv())
    page.set_input_files("input[type=file]", str(path))
    with page.expect_download() as download:
        page.get_by_role("button", name="Cek dan unduh hasilnya").click()
    assert download.value.suggested_filename == "cek-ikd-guru.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["sudah", "belum", "sudah", "belum", "NIK tidak valid"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "path", "chart"),
    [
        ("instansi", "/instansi/", "#ranking-chart"),
        ("instansi-detail", "/instansi/DINDIK/", "#trend-chart"),
        ("instansi-cek", "/instansi/cek/", None),
        ("instansi-target", "/instansi/target/", None),
    ],
)
def test_the_pages_pass_axe_and_fit_the_screen(page, site, tmp_path, name, path, chart, size):
    from tests.institutions.test_rosters import _import, _write

    _import(_write(tmp_path, _lines()))
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    refused = csp_refusals(page)  # anything the Content-Security-Policy blocked
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    page.goto(f"{site}{path}")
    if chart:
        page.wait_for_selector(f"{chart} svg.main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{size}.png", full_page=True)
    serious = axe_serious(page)
    assert serious == [], serious
    assert refused == []
