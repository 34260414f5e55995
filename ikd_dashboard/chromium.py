"""The system Chromium, started by Playwright (no browser is ever downloaded): one list of flags
for the report PDF, the screenshots script and the browser tests, and the printer that turns a
page into a PDF.

Chromium draws the charts with the same plotly.js as the page, so a PDF looks like the page; it
prints A4 with a header and page numbers. Nothing is fetched from the network: plotly.js and our
chart script are read from disk.

Starting Playwright's driver and a Chromium took 1.5–2 s of the 3–4 s a print cost, so each
process keeps one running (docs/performance.md, "Second round: report PDF"): a printer thread
of its own, at low CPU priority, that starts Chromium at the first print and closes it after
REPORT_PDF_BROWSER_IDLE_SECONDS without one. Every print gets a page never used before (opened
after the previous print, while nobody waits), so nothing of one report (another audience's
small counts, say) is left for the next.
"""

import atexit
import concurrent.futures
import contextlib
import logging
import os
import queue
import threading
import time
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

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
    numbers, on this process's printer thread (so it works inside any event loop: tests, ASGI)."""
    if not Path(settings.CHROMIUM_PATH).exists():
        raise PdfUnavailable(
            _("PDF tidak dapat dibuat: Chromium tidak terpasang di %(path)s.")
            % {"path": settings.CHROMIUM_PATH}
        )
    return _printer().submit(_print, html, _header_footer(header)).result()


def printer_browser_pid() -> int | None:
    """The process id of this process's kept Chromium, or None when none is running (tests)."""
    return _printer().submit(lambda printer: printer.pid).result()


class Printer:
    """One thread that owns Playwright and a kept Chromium (Playwright's sync objects belong to
    the thread that made them); jobs come through a queue, one at a time."""

    def __init__(self):
        self.owner_pid = os.getpid()
        self.jobs: queue.Queue = queue.Queue()
        self.playwright = None
        self._browser = None
        self.spare = None
        self.pid: int | None = None
        self.last_used = 0.0
        threading.Thread(target=self._run, name="pdf-printer", daemon=True).start()

    def submit(self, job, *args) -> concurrent.futures.Future:
        future = concurrent.futures.Future()
        self.jobs.put((future, job, args))
        return future

    def _run(self) -> None:
        # This thread, and the driver and Chromium it starts, run at low priority: pages and
        # /health/ keep answering while a PDF prints.
        os.nice(PRINT_NICENESS)
        while True:
            idle = settings.REPORT_PDF_BROWSER_IDLE_SECONDS
            if self._browser is not None and time.monotonic() - self.last_used > idle:
                self.close()
            try:
                future, job, args = self.jobs.get(timeout=max(1, min(idle, 60)))
            except queue.Empty:
                continue
            if job is None:  # the process is exiting
                self.close()
                future.set_result(None)
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job(self, *args))
            except BaseException as error:  # noqa: BLE001 — handed to whoever waits for it
                self.close()  # a Chromium that failed once is not trusted with the next print
                future.set_exception(error)
                continue
            if job is _print:
                self.prepare()

    def browser(self):
        if self._browser is not None and not self._browser.is_connected():
            log.warning("the kept Chromium went away; starting another")
            self.close()
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self._browser = self.playwright.chromium.launch(
                executable_path=settings.CHROMIUM_PATH, args=CHROMIUM_ARGS
            )
            self.pid = _launched_pid(self._browser)
        self.last_used = time.monotonic()
        return self._browser

    def browser_alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    def page(self):
        """(context, page) never used before: the one prepared after the last print, or new."""
        browser = self.browser()
        spare, self.spare = self.spare, None
        return spare or _blank_page(browser)

    def prepare(self) -> None:
        """Open the next print's page now, while nobody waits: 0,35–1 s of a print."""
        try:
            if self._browser is not None and self.spare is None and self._browser.is_connected():
                self.spare = _blank_page(self._browser)
        except Exception:  # noqa: BLE001 — the next print opens its own page
            log.debug("preparing a page", exc_info=True)

    def close(self) -> None:
        self.spare = None  # its context goes with the browser
        for closing in (self._browser, self.playwright):
            try:
                if closing is not None:
                    closing.close() if closing is self._browser else closing.stop()
            except Exception:  # noqa: BLE001 — a dead browser cannot be closed twice
                log.debug("closing the printer", exc_info=True)
        self._browser = self.playwright = self.pid = None


_PRINTER: Printer | None = None
_PRINTER_LOCK = threading.Lock()


def _printer() -> Printer:
    """This process's printer; a process forked from one that had a printer starts its own."""
    global _PRINTER
    with _PRINTER_LOCK:
        if _PRINTER is None or _PRINTER.owner_pid != os.getpid():
            _PRINTER = Printer()
        return _PRINTER


@atexit.register
def _printer_stop() -> None:
    if _PRINTER is not None and _PRINTER.owner_pid == os.getpid():
        # Exiting anyway: a Chromium not closed in time dies with its driver.
        with contextlib.suppress(Exception):
            _PRINTER.submit(None).result(timeout=10)


def _launched_pid(browser) -> int | None:
    """The Chromium process Playwright started (for the tests and the benchmark)."""
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    return next((p["id"] for p in processes if p["type"] == "browser"), None)


def _header_footer(header: str) -> tuple[str, str]:
    page_label = _("Halaman")
    of_label = _("dari")
    return (
        '<div style="font-size:8px;width:100%;padding:0 14mm;color:#444;'
        f'font-family:sans-serif">{escape(header)}</div>',
        '<div style="font-size:8px;width:100%;padding:0 14mm;text-align:right;'
        f'color:#444;font-family:sans-serif">{page_label} '
        f'<span class="pageNumber"></span> {of_label} <span class="totalPages"></span>'
        "</div>",
    )


def _print(printer: Printer, html: str, header_footer: tuple[str, str]) -> bytes:
    try:
        return _print_page(printer.page(), html, header_footer)
    except Exception:
        if printer.browser_alive():
            raise
    # The kept Chromium died (killed, out of memory): once more with a new one.
    log.warning("the kept Chromium went away while printing; printing again with a new one")
    printer.close()
    return _print_page(printer.page(), html, header_footer)


def _blank_page(browser):
    """A page in a context of its own (nothing of one report is left for the next), laid out
    at the printed width, in print media, that fetches nothing from the network."""
    context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": PRINT_HEIGHT_PX})
    page = context.new_page()
    page.emulate_media(media="print")
    page.route("**/*", lambda route: route.abort())
    return context, page


def _print_page(context_page, html: str, header_footer: tuple[str, str]) -> bytes:
    context, page = context_page
    try:
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
            header_template=header_footer[0],
            footer_template=header_footer[1],
        )
    finally:
        with contextlib.suppress(Exception):  # a dead browser's context is gone already
            context.close()
