"""The dashboard's charts on a phone (390×844, touch): a swipe over a chart scrolls the page and
leaves the chart as it was, a tap shows a value, the page works before plotly.js has arrived, and
a chart far down is drawn once it is scrolled to (system Chromium through Playwright)."""

import datetime as dt

import pytest

from kecamatan.progress.runs import progress_recompute
from tests.conftest import browser_login, small_kabupaten_create, two_kecamatan_outlines_load

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DASHBOARD_CHARTS = ["#map-chart", "#gap-chart", "#trend-chart", "#monthly-chart", "#segment-chart"]
PLOTLY_URL = "**/vendor/plotly.min*.js"


@pytest.fixture
def site(live_server, transactional_db, staf, tmp_path):
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    # Outlines for the two kecamatan, so the map is a chart too.
    two_kecamatan_outlines_load(tmp_path)
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def _drawn(page, chart: str) -> None:
    """Scroll `chart` to the middle of the screen and wait until plotly.js has drawn it."""
    page.eval_on_selector(chart, "el => el.scrollIntoView({block: 'center'})")
    page.wait_for_selector(f"{chart} svg.main-svg")


def _ranges(page, chart: str) -> list:
    return page.eval_on_selector(
        chart, "el => [el._fullLayout.xaxis.range.slice(), el._fullLayout.yaxis.range.slice()]"
    )


def _swipe(page, x: float, y: float, dy: float) -> None:
    """A finger put down at (x, y) and moved dy pixels up (dy > 0) or down, as a phone sends it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        point = {"x": x, "y": y - dy * step / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_swipe_over_each_chart_scrolls_the_page_and_leaves_the_chart_alone(phone, site):
    browser_login(phone, site, "staf")
    phone.wait_for_url(f"{site}/")
    for chart in DASHBOARD_CHARTS:
        _drawn(phone, chart)
        phone.wait_for_timeout(300)  # settled
        before, ranges = phone.evaluate("window.scrollY"), _ranges(phone, chart)
        box = phone.locator(f"{chart} .nsewdrag").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # Up the page where there is room above, else down it.
        _swipe(phone, x, y, -150 if before > 200 else 150)
        phone.wait_for_timeout(500)  # the scroll runs on after the finger lifts
        assert phone.evaluate("window.scrollY") != before, chart
        assert _ranges(phone, chart) == ranges, chart
        assert phone.url == f"{site}/", chart  # the map's regions open on a tap, not a swipe


def test_a_tap_on_a_bar_shows_its_value_and_the_toolbar_stays_away(phone, site):
    browser_login(phone, site, "staf")
    phone.wait_for_url(f"{site}/")
    _drawn(phone, "#gap-chart")
    box = phone.locator("#gap-chart .bars .point").first.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = phone.locator("#gap-chart .hoverlayer .hovertext")
    label.wait_for()
    assert "Capaian" in label.text_content()
    assert not phone.locator("#gap-chart .modebar").is_visible()


def test_the_menu_and_the_tables_work_before_plotly_has_arrived(phone, site):
    browser_login(phone, site, "staf")
    phone.wait_for_url(f"{site}/")
    phone.goto(f"{site}/akun/sandi/")  # a page without charts: nothing of the last one in flight
    held = []
    # plotly.js does not arrive until it is let through.
    phone.route(PLOTLY_URL, lambda route: held.append(route))
    phone.goto(f"{site}/")
    phone.wait_for_function("document.readyState === 'complete'")
    button = phone.get_by_role("button", name="Menu")
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("link", name="Laporan", exact=True).is_visible()
    button.click()
    table = phone.get_by_test_id("children")
    table.get_by_role("button", name="Capaian").click()
    assert table.locator("tbody th").all_inner_texts() == ["Bulu", "Weru"]
    assert phone.evaluate("typeof window.Plotly") == "undefined"
    assert len(held) == 1  # asked for once, by the charts near the screen
    assert phone.locator("#map-chart svg.main-svg").count() == 0
    held[0].continue_()
    phone.wait_for_selector("#map-chart svg.main-svg")  # the chart near the screen, once it has


def test_a_chart_far_below_is_drawn_when_it_is_scrolled_to(phone, site):
    browser_login(phone, site, "staf")
    phone.wait_for_url(f"{site}/")
    phone.wait_for_selector("#map-chart svg.main-svg")  # the one near the first screen
    far = phone.locator("#segment-chart")
    assert far.bounding_box()["y"] > 2 * PHONE["height"]  # more than a screen below the fold
    assert far.locator("svg.main-svg").count() == 0
    far.scroll_into_view_if_needed()
    phone.wait_for_selector("#segment-chart svg.main-svg")
