"""The demo dashboard on a phone over a slow link: what a Petugas in the field waits for.

Usage: python bench/bench_slow_link.py [--repeat 3]
       (uses DATABASE_URL when set, else a throwaway SQLite file; loads the demo into it)

Collects the static files as a deployment does, starts gunicorn (DEBUG off, WhiteNoise's
compressed files) on the loopback, and opens the dashboard in the system Chromium at 390×844
(touch, mobile), signed in as the demo's staf, with Chromium's network emulation: 400 kbit/s
down and up, 400 ms latency, cache disabled (a first visit). Times from the start of the
navigation, median of --repeat loads:
  headline — the headline figures painted (the achievement's box laid out, in a frame);
  usable   — DOMContentLoaded done: the page's small deferred scripts (menu, table sorting,
             charts.js) have run; the menu button is then clicked and must open;
  chart    — the first chart drawn, scrolled to as soon as the page is usable (plotly.js is
             fetched by charts.js when a chart comes within a screen of the viewport).
Goals: headline ≤ 1,5 s, usable ≤ 2,5 s, first chart ≤ 8 s; and the phone entry page
(/jemput-bola/catat/, signed in as the demo's petugas) ≤ 40 KB on the wire, everything it loads.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.pop("CELERY_BROKER_URL", None)  # the demo's recompute runs in-process here
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import ROOT, server_env, start_gunicorn  # noqa: E402 (sets up Django)
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from ikd_dashboard.chromium import CHROMIUM_ARGS  # noqa: E402

GOALS = {"headline": 1.5, "usable": 2.5, "chart": 8.0}
ENTRY_GOAL_KB = 40
PHONE = {"width": 390, "height": 844}
SLOW = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,  # bytes per second
    "uploadThroughput": 400_000 / 8,
}
# Recorded in the page from its first byte: when the headline was first laid out in a frame,
# and when the first chart's SVG appeared.
WATCH = """
window.__bench = {};
(function frame() {
  var hero = document.querySelector("[data-testid=percent]");
  if (hero && hero.getBoundingClientRect().height > 0 && !window.__bench.headline) {
    window.__bench.headline = performance.now();
  }
  if (!window.__bench.chart && document.querySelector("[data-chart] svg.main-svg")) {
    window.__bench.chart = performance.now();
  }
  if (!window.__bench.chart) { requestAnimationFrame(frame); }
})();
"""


def session_cookie(username: str) -> list[dict]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return [
        {"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}
        for name, value in (
            ("sessionid", client.cookies["sessionid"].value),
            ("django_language", "id"),
        )
    ]


def slow_page(browser, cookies):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW)
    return context, page, cdp


def dashboard_load(browser, url: str, cookies) -> dict:
    context, page, _ = slow_page(browser, cookies)
    page.add_init_script(WATCH)
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    usable = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    plotly_then = page.evaluate("typeof window.Plotly")
    button = page.get_by_role("button", name="Menu")
    button.click()
    opened = button.get_attribute("aria-expanded") == "true"
    button.click()
    # The reader scrolls to the first chart as soon as the page works (on a phone the first one
    # is well below the headline, so charts.js has not asked for plotly.js yet).
    page.locator("[data-chart]").first.scroll_into_view_if_needed()
    # Polled from here: wait_for_function's predicate is eval'd, which the page's CSP refuses.
    deadline = time.monotonic() + 120
    while not page.evaluate("window.__bench.chart") and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    times = page.evaluate("window.__bench")
    context.close()
    return {
        "headline": times["headline"] / 1000,
        "usable": usable / 1000,
        "chart": times["chart"] / 1000,
        "menu_opened": opened,
        "plotly_at_usable": plotly_then,
    }


def entry_bytes(browser, url: str, cookies) -> int:
    context, page, cdp = slow_page(browser, cookies)
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    page.goto(url, wait_until="networkidle", timeout=120_000)
    context.close()
    return int(sum(received))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    static_root = Path(tempfile.mkdtemp(prefix="bench-slow-")) / "static"
    env = server_env(static_root, LOG_LEVEL="WARNING")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server, port = start_gunicorn(2, env)
    site = f"http://127.0.0.1:{port}"
    staf, petugas = session_cookie("staf"), session_cookie("petugas")
    connection.close()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            dashboard_load(browser, f"{site}/", staf)  # warm-up: the server's page cache
            runs = [dashboard_load(browser, f"{site}/", staf) for _ in range(args.repeat)]
            entry = entry_bytes(browser, f"{site}/jemput-bola/catat/", petugas)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"{args.repeat} loads at 390×844, 400 kbit/s, 400 ms latency, cache off; median (all)")
    for name, goal in GOALS.items():
        values = [r[name] for r in runs]
        shown = ", ".join(f"{v:.2f}" for v in values)
        verdict = "met" if statistics.median(values) <= goal else "NOT MET"
        median = statistics.median(values)
        print(f"  {name:<9} {median:5.2f} s  ({shown})  goal ≤ {goal} s: {verdict}")
    print(
        f"  menu opened at DOMContentLoaded: {all(r['menu_opened'] for r in runs)}; "
        f"window.Plotly then: {', '.join(r['plotly_at_usable'] for r in runs)}"
    )
    verdict = "met" if entry <= ENTRY_GOAL_KB * 1000 else "NOT MET"
    kb = entry / 1000
    print(f"  /jemput-bola/catat/ {kb:.1f} KB on the wire  goal ≤ {ENTRY_GOAL_KB} KB: {verdict}")


if __name__ == "__main__":
    main()
