"""Screenshots of the pages at desktop (1366×768) and phone (390×844) width, for docs and review.

Usage: python scripts/screenshots.py BASE_URL USERNAME PASSWORD OUTDIR [PATH ...]
Runs the system Chromium through Playwright; no browser download.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")  # chromium.py reads it
from ikd_dashboard.chromium import CHROMIUM_ARGS  # noqa: E402

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def main(base_url: str, username: str, password: str, outdir: str, *paths: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size_name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base_url}/masuk/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit].primary")
            for path in paths or ["/"]:
                page.goto(f"{base_url}{path}")
                page.wait_for_load_state("networkidle")
                for chart in page.locator("[data-chart]").all():  # drawn when near the screen
                    chart.scroll_into_view_if_needed()
                    chart.locator("svg.main-svg").first.wait_for(state="attached")
                name = path.strip("/").replace("/", "_") or "dashboard"
                page.screenshot(path=out / f"{name}-{size_name}.png", full_page=True)
                print(out / f"{name}-{size_name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
