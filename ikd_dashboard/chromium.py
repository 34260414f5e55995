"""How we start the system Chromium (Playwright drives it; no browser is ever downloaded):
one list of flags for the report PDF, the screenshots script and the browser tests."""

CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in containers and CI
    "--disable-gpu",
    "--disable-background-networking",  # nothing fetched behind our back on a closed network
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
