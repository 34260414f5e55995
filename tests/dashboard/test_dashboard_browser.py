"""The dashboard in a real browser: drill-down, filters, downloads, English, keyboard, axe-core.

System Chromium through Playwright; figures worked out from the small kabupaten in conftest.py.
"""

import csv
import datetime as dt

import pytest

from kecamatan.progress.runs import progress_recompute
from tests.conftest import (
    ARTIFACTS,
    axe_serious,
    browser_login,
    charts_drawn,
    csp_refusals,
    small_kabupaten_create,
    two_kecamatan_outlines_load,
)

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def site(live_server, transactional_db, staf):
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


def _figure(page, test_id: str) -> str:
    found = page.get_by_test_id(test_id)
    value = found.locator(".value")
    return value.inner_text() if value.count() else found.inner_text()


def test_staf_drills_down_from_kabupaten_to_kecamatan_to_desa_by_clicking(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    page.get_by_test_id("children").get_by_role("link", name="Weru").click()
    page.wait_for_url(f"{site}/wilayah/33.11.01/")
    assert page.locator("h1").inner_text().startswith("Kecamatan Weru")
    assert _figure(page, "holders") == "1.800"
    assert _figure(page, "activated") == "180"
    page.get_by_test_id("children").get_by_role("link", name="Alasombo").click()
    page.wait_for_url(f"{site}/wilayah/33.11.01.2001/")
    assert _figure(page, "holders") == "1.300"  # 1.200 umum + 100 ASN
    assert _figure(page, "activated") == "160"  # 80 + 50 + 30
    crumbs = page.get_by_role("navigation", name="Jejak wilayah")
    assert crumbs.inner_text().split("\n")[:2] == ["Kabupaten Sukoharjo", "Kecamatan Weru"]
    crumbs.get_by_role("link", name="Kecamatan Weru").click()
    page.wait_for_url(f"{site}/wilayah/33.11.01/")


def test_changing_the_segment_and_the_date_changes_the_figures(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    assert page.get_by_test_id("percent").inner_text() == "12,2%"
    page.get_by_label("Segmen", exact=True).select_option("asn")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/?segmen=asn*")
    assert _figure(page, "holders") == "200"
    assert page.get_by_test_id("percent").inner_text() == "85,0%"
    page.get_by_label("Segmen", exact=True).select_option("")
    page.get_by_label("Per tanggal", exact=True).fill("31/12/2024")
    # The date in words beside the box, whatever the browser's own language.
    assert page.locator("#id_tanggal-words").inner_text() == "31 Desember 2024"
    page.get_by_role("button", name="Tampilkan").click()
    # The URL has the ISO date the README promises; the box still reads dd/mm/yyyy.
    page.wait_for_url("**tanggal=2024-12-31*")
    assert page.get_by_label("Per tanggal", exact=True).input_value() == "31/12/2024"
    assert page.get_by_test_id("as-of").inner_text().startswith("Data per 31 Desember 2024")
    assert _figure(page, "holders") == "2.100"
    assert _figure(page, "activated") == "230"
    assert "target 25%" in _figure(page, "target")
    # The filters are in the URL: the same view opens from a shared link.
    shared = page.url
    page.goto(f"{site}/")
    page.goto(shared)
    assert _figure(page, "activated") == "230"


def test_the_downloaded_csv_has_the_apis_numbers(page, site, tmp_path):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    with page.expect_download() as info:
        page.get_by_test_id("download-wilayah-csv").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = {r["Kode wilayah"]: r for r in csv.DictReader(f)}
    api = page.request.get(f"{site}/api/v1/progress/?region=33.11").json()
    assert set(rows) == {c["code"] for c in api["children"]}
    for child in api["children"]:
        row = rows[child["code"]]
        assert int(row["Pemilik KTP-el"]) == child["holders"]
        assert int(row["Sudah aktivasi"]) == child["activated"]
        assert float(row["Capaian (%)"]) == child["percent"]
        assert int(row["Kekurangan (orang)"]) == child["gap_people"]


def test_switching_to_english_translates_the_page_and_its_numbers(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_test_id("percent").inner_text() == "12.2%"
    assert page.get_by_test_id("as-of").inner_text().startswith("Complete data up to 9 April 2025")
    assert page.get_by_role("heading", name="Attainment per segment").is_visible()
    assert page.get_by_label("Segment", exact=True).is_visible()


def test_the_ranking_sorts_from_the_keyboard(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    table = page.get_by_test_id("children")

    def names():
        return table.locator("tbody th").all_inner_texts()

    assert names() == ["Weru", "Bulu"]  # largest gap first: 360, then 50
    button = table.get_by_role("button", name="Capaian")
    button.focus()
    page.keyboard.press("Enter")  # largest first
    assert names() == ["Bulu", "Weru"]  # 20,0% then 10,0%
    page.keyboard.press("Enter")
    assert names() == ["Weru", "Bulu"]
    assert table.locator("th[aria-sort=ascending]").inner_text().startswith("Capaian")


def test_the_map_draws_loaded_outlines(page, site, tmp_path):
    two_kecamatan_outlines_load(tmp_path)
    browser_login(page, site, "staf")
    page.wait_for_selector("#map-chart svg.main-svg")
    # One filled outline per kecamatan, drawn from our own static files, then their edges and
    # their labels (name and %, readable without hover and in print).
    assert page.locator("#map-chart .scatterlayer .trace").count() == 4
    assert page.locator("#map-chart .scatterlayer .textpoint").count() == 2
    assert "Weru" in page.locator("#map-chart .scatterlayer").text_content()
    # No "share" button sending the figures out; a click on a shape opens its page.
    titles = page.locator("#map-chart .modebar-btn").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert titles and not [t for t in titles if "Studio" in t or "Share" in t], titles
    weru = page.locator("#map-chart .scatterlayer .textpoint", has_text="Weru")
    weru.scroll_into_view_if_needed()
    label = weru.bounding_box()
    x, y = label["x"] + label["width"] / 2, label["y"] + label["height"] / 2
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)  # plotly.js finds the shape under the pointer on a move
    page.mouse.click(x, y)
    page.wait_for_url(f"{site}/wilayah/33.11.01/")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "path"),
    [("kabupaten", "/"), ("kecamatan", "/wilayah/33.11.01/"), ("desa", "/wilayah/33.11.01.2001/")],
)
def test_pages_pass_axe_and_fit_the_screen(page, site, name, path, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    refused = csp_refusals(page)  # anything the Content-Security-Policy blocked
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    page.goto(f"{site}{path}")
    charts_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{size}.png", full_page=True)
    serious = axe_serious(page)
    assert serious == [], serious
    assert refused == []
