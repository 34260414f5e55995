"""What a slow connection downloads: static files compressed, cache-busted and cached for good.

Against gunicorn with DEBUG off and `collectstatic` run, as in production.
"""

import datetime as dt
import re
import urllib.request

import pytest

from kecamatan.progress.runs import progress_recompute
from tests.conftest import browser_login, small_kabupaten_create

pytestmark = pytest.mark.browser
FIRST_LOAD_LIMIT = 400_000  # bytes on the wire, compressed: a 3G phone can afford it
REPEAT_VIEW_LIMIT = 60_000


@pytest.fixture
def site(production_server, staf):
    small_kabupaten_create()
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return production_server


def _bytes_on_the_wire(page, action) -> int:
    """Sum of what the network delivered (headers and compressed bodies) while `action` ran;
    anything served from the browser cache counts 0."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    action()
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return int(sum(received))


def test_the_dashboard_is_light_on_first_load_and_lighter_on_the_next(page, site):
    def sign_in_and_open_the_dashboard():
        browser_login(page, site, "staf")
        page.wait_for_url(f"{site}/")
        page.wait_for_selector("#gap-chart svg.main-svg")

    # A new browser: the login page and then the dashboard, with every file it needs.
    first = _bytes_on_the_wire(page, sign_in_and_open_the_dashboard)
    # The next visit: the static files come from the cache, only the page itself travels.
    repeat = _bytes_on_the_wire(page, lambda: page.goto(f"{site}/"))
    print(f"first visit {first:,} B on the wire, repeat visit {repeat:,} B")
    assert first <= FIRST_LOAD_LIMIT, first
    assert repeat <= REPEAT_VIEW_LIMIT, repeat
    assert repeat < first / 10


def test_static_files_are_hashed_compressed_and_cached_for_a_year(page, site):
    browser_login(page, site, "staf")
    page.wait_for_url(f"{site}/")
    html = page.content()
    plotly = re.search(r'src="(/static/vendor/plotly\.min\.[0-9a-f]{12}\.js)"', html)
    assert plotly, "plotly.js is not served under a content-hashed name"
    url = site + plotly.group(1)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]
        compressed = len(response.read())
    assert compressed < 400_000  # 1,0 MB raw: scatter and bar only (`make plotly`)
