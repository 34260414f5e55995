"""The pages in a real browser (system Chromium through Playwright)."""

import datetime as dt

import pytest

from kecamatan.progress import progress_recompute
from tests.conftest import ARTIFACTS, browser_login, small_kabupaten_create

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
    assert page.get_by_test_id("holders").locator(".value").inner_text() == "2.300"
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
    page.wait_for_selector("#gap-chart svg.main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-phone.png", full_page=True)
