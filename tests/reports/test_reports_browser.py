"""Pimpinan reads the April 2025 report of the demo and takes the PDF (system Chromium)."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(live_server, transactional_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth.models import User

    pimpinan = User.objects.get(username="pimpinan")
    pimpinan.set_password(PASSWORD)
    pimpinan.save()
    return live_server.url


def test_pimpinan_opens_april_2025_and_downloads_the_pdf(page, demo_site, tmp_path):
    page.goto(f"{demo_site}/masuk/")
    page.fill("#id_username", "pimpinan")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{demo_site}/")
    page.get_by_role("link", name="Laporan", exact=True).click()
    page.get_by_test_id("report-months").get_by_role("link", name="April 2025").click()
    page.wait_for_url(f"{demo_site}/laporan/2025/4/")
    assert page.locator("h1").inner_text() == "Laporan capaian IKD April 2025"
    assert page.get_by_test_id("report-activated").locator(".value").inner_text() == "33.600"
    assert page.get_by_test_id("report-gap").locator(".value").inner_text() == "170.400"
    page.wait_for_selector("#report-gap .main-svg")
    assert page.get_by_role("button", name="Terbitkan laporan ini").count() == 0  # not Admin
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-desktop.png", full_page=True)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_test_id("report-pdf").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "laporan-ikd-2025-04-draf.pdf"  # not issued yet: a draft
    pdf = PdfReader(path)
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Laporan capaian IKD April 2025" in text
    assert "33.600" in text and "170.400" in text and "4,9%" in text
    assert "Draf: belum diterbitkan" in text
