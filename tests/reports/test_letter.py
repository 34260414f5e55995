"""The monthly report as a letter the office signs: letterhead with its logo, the number a
revision is given when issued, and the signature block (place and date, title, name, NIP)."""

import base64
import datetime as dt
import io

from pypdf import PdfReader

from kecamatan.progress.runs import progress_recompute
from reports.issue import report_issue
from reports.letter import report_number

APRIL = dt.date(2025, 4, 1)
# A 1×1 PNG: the smallest logo there is.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_the_number_follows_the_offices_pattern_and_says_the_revision():
    assert report_number(month=APRIL, revision=1) == "470/04/IKD/IV/2025"
    assert report_number(month=APRIL, revision=2) == "470/04/IKD/IV/2025-R2"


def test_an_issued_report_carries_letterhead_number_and_signature(
    small_kabupaten, staf_client, settings, tmp_path
):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    settings.REPORT_LOGO_PATH = str(logo)
    settings.OFFICE_ADDRESS = "Jl. Jenderal Sudirman No. 199, Sukoharjo"
    settings.REPORT_SIGNER_TITLE = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    settings.REPORT_SIGNER_NAME = "Nama Kepala Dinas"
    settings.REPORT_SIGNER_NIP = "NIP-CONTOH"
    progress_recompute(as_of=dt.date(2025, 4, 10))
    draft = staf_client.get("/laporan/2025/4/").content.decode()
    assert "diberikan saat laporan diterbitkan" in draft and "Draf: belum ditandatangani" in draft
    report, _ = report_issue(month=APRIL)
    report.issued_at = dt.datetime(2025, 4, 30, 23, 30, tzinfo=dt.UTC)  # 1 May 06.30 WIB
    report.save(update_fields=["issued_at"])
    html = staf_client.get("/laporan/2025/4/").content.decode()
    assert 'src="data:image/png;base64,' in html  # inline: the PDF fetches nothing
    assert "Jl. Jenderal Sudirman No. 199, Sukoharjo" in html
    assert "Nomor: 470/04/IKD/IV/2025" in html
    signature = html[html.index('data-testid="signature"') :].split("</section>")[0]
    for line in ("Sukoharjo, 1 Mei 2025", "Kepala Dinas Kependudukan", "Nama Kepala Dinas"):
        assert line in signature
    assert "NIP. NIP-CONTOH" in signature


def test_a_month_issued_without_printing_prints_its_pdf_when_first_downloaded(
    small_kabupaten, staf_client
):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report, _ = report_issue(month=APRIL, deliver=False)  # as the demo issues its past months
    assert bytes(report.pdf) == b""
    response = staf_client.get("/laporan/2025/4/unduh.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "470/04/IKD/IV/2025" in text and "Sukoharjo," in text
