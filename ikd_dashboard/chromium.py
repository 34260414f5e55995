"""The system Chromium, started by Playwright (no browser is ever downloaded): one list of flags
for the report PDF, the screenshots script and the browser tests, and the printer that turns a
page into a PDF.

Chromium draws the charts with the same plotly.js as the page, so a PDF looks like the page; it
prints A4 with a header and page numbers. Nothing is fetched from the network: plotly.js and our
chart script are read from disk.
"""

import concurrent.futures
import os
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in containers and CI
    "--disable-gpu",
    "--disable-background-networking",  # nothing fetched behind our back on a closed network
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PRINT_NICENESS = 10
STATIC = Path(settings.BASE_DIR) / "static"
PLOTLY_JS = STATIC / "vendor" / "plotly.min.js"  # our partial bundle (`make plotly`)
CHARTS_JS = STATIC / "js" / "charts.js"
# The printed area of A4 (210 × 297 mm) inside MARGINS, in CSS pixels (96 per inch): the page is
# laid out at this width before it prints, so charts are drawn at their printed size, not cut.
MARGINS = {"top": "22mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
PRINT_WIDTH_PX = round((210 - 14 - 14) / 25.4 * 96)
PRINT_HEIGHT_PX = round((297 - 22 - 18) / 25.4 * 96)


class PdfUnavailable(Exception):
    """Chromium is not installed where the PDF is made."""


def html_to_pdf(html: str, *, header: str) -> bytes:
    """Print `html` (charts as [data-chart] elements) to an A4 PDF with a header and page
    numbers. Runs in a thread of its own, so it works inside any event loop (tests, ASGI)."""
    if not Path(settings.CHROMIUM_PATH).exists():
        raise PdfUnavailable(
            _("PDF tidak dapat dibuat: Chromium tidak terpasang di %(path)s.")
            % {"path": settings.CHROMIUM_PATH}
        )
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, header).result()


def _print(html: str, header: str) -> bytes:
    from playwright.sync_api import sync_playwright

    # This thread (a fresh one, see html_to_pdf) and the driver and Chromium it starts run at
    # low priority: pages and /health/ keep answering while a PDF prints.
    os.nice(PRINT_NICENESS)

    page_label = _("Halaman")
    of_label = _("dari")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=settings.CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": PRINT_HEIGHT_PX})
            page.emulate_media(media="print")
            page.route("**/*", lambda route: route.abort())  # nothing from the network
            page.set_content(html, wait_until="load")
            page.add_script_tag(path=str(PLOTLY_JS))
            page.add_script_tag(path=str(CHARTS_JS))
            page.wait_for_function(
                "[...document.querySelectorAll('[data-chart]')]"
                ".every(el => el.querySelector('.main-svg'))",
                timeout=30_000,
            )
            return page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                margin=MARGINS,
                header_template=(
                    '<div style="font-size:8px;width:100%;padding:0 14mm;color:#444;'
                    f'font-family:sans-serif">{escape(header)}</div>'
                ),
                footer_template=(
                    '<div style="font-size:8px;width:100%;padding:0 14mm;text-align:right;'
                    f'color:#444;font-family:sans-serif">{page_label} '
                    f'<span class="pageNumber"></span> {of_label} <span class="totalPages"></span>'
                    "</div>"
                ),
            )
        finally:
            browser.close()
