"""What a tired civil servant meets in the browser: every menu item reachable on a 390-px phone,
a chart toolbar that never covers the target's label, and dates that read dd/mm/yyyy whatever the
browser's language (system Chromium through Playwright)."""

import datetime as dt

import pytest

from kecamatan.progress.runs import progress_recompute
from tests.conftest import ARTIFACTS, browser_login, small_kabupaten_create

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db, admin_user):
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return live_server.url


def _inside(box, width, height) -> bool:
    return box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def test_on_a_phone_every_menu_item_can_be_reached(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    nav = page.locator("#topnav")
    items = nav.locator("a, button")
    assert not items.first.is_visible()  # folded behind the button
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"
    names = []
    for i in range(items.count()):
        item = items.nth(i)
        assert item.is_visible()
        assert _inside(item.bounding_box(), 390, 844), item.inner_text()
        names.append(item.inner_text().strip())
    assert {"Dasbor", "Laporan", "Unggah data", "Audit", "Kata sandi", "EN", "Keluar"} <= set(names)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "menu-phone.png")
    # Each of them works: the last one signs out.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{site}/masuk/*")
    context.close()


def test_the_chart_toolbar_never_covers_the_target_label(page, site):
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    page.wait_for_selector("#gap-chart .main-svg")
    page.hover("#gap-chart .nsewdrag")  # plotly.js shows its toolbar on hover
    toolbar = page.locator("#gap-chart .modebar")
    toolbar.wait_for(state="visible")
    label = page.locator("#gap-chart .annotation-text", has_text="Target 30%")
    a, b = toolbar.bounding_box(), label.bounding_box()
    overlap = not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )
    assert not overlap, (a, b)


def test_dates_read_day_month_year_in_an_english_browser(browser, site):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    box = page.get_by_label("Per tanggal", exact=True)
    assert box.input_value() == "09/04/2025"  # not 04/09/2025
    assert page.locator("#id_tanggal-words").inner_text() == "9 April 2025"
    box.fill("01/04/2025")
    assert page.locator("#id_tanggal-words").inner_text() == "1 April 2025"
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**tanggal=2025-04-01*")  # the URL carries the ISO date
    assert page.get_by_test_id("as-of").inner_text().startswith("Data per 1 April 2025")
    page.goto(f"{site}/target/")
    assert page.get_by_label("Berlaku sejak").get_attribute("type") == "text"
    context.close()


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_achievement_is_the_largest_figure_and_is_seen_first(browser, site, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    browser_login(page, site, "admin")
    page.wait_for_url(f"{site}/")
    sizes = page.eval_on_selector_all(
        ".headline .figure .value",
        "els => els.map(e => [e.closest('.figure').dataset.testid,"
        " parseFloat(getComputedStyle(e).fontSize)])",
    )
    hero = dict(sizes)["achievement"]
    assert all(hero > size for testid, size in sizes if testid != "achievement"), sizes
    # On the first screen, without scrolling, and the target beside it in words.
    box = page.get_by_test_id("percent").bounding_box()
    assert box["y"] + box["height"] <= height
    assert "30%" in page.get_by_test_id("target").inner_text()
    context.close()
