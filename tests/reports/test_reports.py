"""The monthly report: its figures worked out by hand, its words, freezing and revisions, its
PDF and XLSX, the schedule that issues it, and who may do what.

The small kabupaten (conftest.py) for April 2025, data up to 10 April 2025:
  activated by 10 Apr 285 (280 + the 5 of 10 April), by 31 Mar 260, by 28 Feb 230;
  holders 2.300; target 30% → 690 people by 31 Dec 2025.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from ikd_dashboard.numbers import rounded
from kecamatan.models import Activation
from kecamatan.nik import nik_hash
from kecamatan.progress.runs import progress_recompute
from reports.issue import report_issue
from reports.models import MonthlyReport
from reports.monthly import report_figures
from reports.summary import report_summary
from reports.tasks import issue_monthly_report_task

APRIL = dt.date(2025, 4, 1)


@pytest.fixture
def april(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    return report_figures(APRIL)


def test_the_month_end_figures_are_those_worked_out_by_hand(april):
    t = april["totals"]
    assert april["as_of"] == "2025-04-10" and april["partial"] is True  # data ends on 10 April
    assert (t["holders"], t["activated"], rounded(t["percent"])) == (2300, 285, Decimal("12.39"))
    assert (t["target_percent"], t["target_people"], t["gap_people"]) == (30.0, 690, 405)
    assert t["target_deadline"] == "2025-12-31"
    # New this month: 285 − 260; March: 260 − 230. Points: 12,39 − 11,30 (260 / 2.300).
    assert (april["new_this_month"], april["new_previous_month"]) == (25, 30)
    assert rounded(april["points_change"]) == Decimal("1.09")
    # Milestone: 230 on 31 Dec 2024 → 690 on 31 Dec 2025; day 100 of 365: 230 + 460 × 100 / 365.
    assert (t["milestone_people"], t["milestone_status"]) == (356, "behind")
    # 405 people in the 265 days to 31 December: 405 × 30,4375 / 265 per month.
    assert rounded(t["needed_per_month"]) == Decimal("46.52")


def test_the_kecamatan_ranking_and_the_desa_with_the_largest_gaps(april):
    ranking = [(k["name"], k["percent"], k["new"], k["gap_people"]) for k in april["kecamatan"]]
    # Furthest behind in people first, as on the dashboard: Weru 180 / 1.800 = 10%, 20 new on
    # 1 April, 360 short; Bulu 105 / 500 = 21%, 5 new on 10 April, 45 short.
    assert ranking == [("Weru", 10.0, 20, 360), ("Bulu", 21.0, 5, 45)]
    desa = [(d["name"], d["kecamatan"], d["gap_people"]) for d in april["desa_gaps"]]
    # Targets 390, 150, 150 (30% rounded up) against 160, 20, 105 activated.
    assert desa == [("Alasombo", "Weru", 230), ("Tegalsari", "Weru", 130), ("Puron", "Bulu", 45)]
    segments = {s["code"]: (s["holders"], s["activated"]) for s in april["segments"]}
    assert segments == {"asn": (200, 170), "umum": (2100, 115)}


def test_the_summary_when_behind_the_milestone(april):
    # Pace: 30 + 20 + 5 people in the 30 days to 10 April = 1,83 a day; 405 people at that pace
    # take ceil(405 × 30 / 55) = 221 days: 17 November 2025, before the deadline. The first ten
    # days of March had no activation (the 30 of March came on the 20th).
    assert report_summary(april) == [
        "Capaian 12,4% (285 dari 2.300 pemilik KTP-el), naik 1,1 poin sejak 31 Maret 2025; "
        "target 30% s.d. 31 Desember 2025, kekurangan 405 orang.",
        "Dengan laju 30 hari terakhir (1,8/hari) target tercapai sekitar November 2025, sebelum "
        "tenggat 31 Desember 2025.",
        "1–10 April 2025: 25 orang aktivasi, lebih banyak dari 10 hari yang sama bulan "
        "sebelumnya, 1–10 Maret 2025 (0 orang).",
        "Seharusnya sudah 356 orang pada 10 April 2025; tertinggal 71 orang.",
        "Paling tertinggal: Kecamatan Weru, kekurangan 360 orang.",
        "Menurut persen capaian: tertinggi Kecamatan Bulu (21,0%), terendah Kecamatan Weru "
        "(10,0%).",
    ]


def test_the_summary_when_ahead_of_the_milestone(april):
    ahead = {
        **april,
        "totals": {**april["totals"], "milestone_people": 250, "milestone_status": "ahead"},
        "new_this_month": 40,
        "points_change": 0.04,
        "comparison": {
            "this": ["2025-04-01", "2025-04-10", 40],
            "previous": ["2025-03-01", "2025-03-10", 40],
        },
    }
    summary = report_summary(ahead)
    # A change that would read "0,0 poin" is said in people, in the same precision as 12,4%.
    assert summary[0].startswith(
        "Capaian 12,4% (285 dari 2.300 pemilik KTP-el), naik kurang dari 0,1 poin (40 orang) "
        "sejak 31 Maret 2025;"
    )
    assert summary[2:4] == [
        "1–10 April 2025: 40 orang aktivasi, sama dengan 10 hari yang sama bulan sebelumnya, "
        "1–10 Maret 2025 (40 orang).",
        "Seharusnya sudah 250 orang pada 10 April 2025; kita 35 orang di depan.",
    ]


def test_the_summary_when_the_target_is_reached(april):
    reached = {
        **april,
        "totals": {
            **april["totals"],
            "activated": 700,
            "percent": 30.43,
            "gap_people": 0,
            "milestone_status": "ahead",
        },
        "new_this_month": 50,
    }
    assert report_summary(reached)[:2] == [
        "Target 30% telah tercapai: 700 orang sudah aktivasi IKD (30,4% dari pemilik KTP-el), "
        "10 di atas target.",
        "1–10 April 2025: 25 orang aktivasi, lebih banyak dari 10 hari yang sama bulan "
        "sebelumnya, 1–10 Maret 2025 (0 orang).",
    ]


def _add_activation(day: dt.date, serial: int) -> None:
    nik = f"3311010101880{serial:03d}"  # born 1988: not one of the fixture's NIKs
    Activation.objects.create(
        nik_hash=nik_hash(nik), activated_on=day, region_id="33.11.01.2002", segment_id="umum"
    )


def test_an_issued_report_does_not_change_when_the_data_does(small_kabupaten, admin_user):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report, issued = report_issue(month=APRIL)
    assert issued and report.revision == 1
    _add_activation(dt.date(2025, 4, 5), 1)  # a late correction for April
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report.refresh_from_db()
    assert report.figures["totals"]["activated"] == 285
    # Issuing again without a revision leaves it as it is.
    again, issued = report_issue(month=APRIL)
    assert (again.pk, issued) == (report.pk, False)
    revision, issued = report_issue(
        month=APRIL, user=admin_user, reason="koreksi Tegalsari", revision=True
    )
    assert issued and revision.revision == 2
    assert revision.figures["totals"]["activated"] == 286
    changed = {(c["field"], c.get("region")): (c["before"], c["after"]) for c in revision.changes}
    assert changed[("activated", None)] == (285, 286)
    assert changed[("new_this_month", None)] == (25, 26)
    assert changed[("activated", "Weru")] == (180, 181)
    assert ("activated", "Bulu") not in changed


def test_the_revision_page_shows_its_number_and_what_changed(small_kabupaten, admin_client):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    admin_client.post("/laporan/2025/4/terbitkan/")
    _add_activation(dt.date(2025, 4, 5), 2)
    progress_recompute(as_of=dt.date(2025, 4, 10))
    refused = admin_client.post("/laporan/2025/4/terbitkan/", {"alasan": ""}, follow=True)
    assert "Tuliskan alasan revisi" in refused.content.decode()
    admin_client.post("/laporan/2025/4/terbitkan/", {"alasan": "koreksi Tegalsari"})
    html = admin_client.get("/laporan/2025/4/").content.decode()
    assert "Revisi 2, diterbitkan" in html and "alasan: koreksi Tegalsari" in html
    changes = html[html.index('data-testid="report-changes"') :]
    assert "Perubahan dari revisi 1" in changes
    assert "Weru: Sudah aktivasi" in changes and "180" in changes and "181" in changes
    first = admin_client.get("/laporan/2025/4/?revisi=1").content.decode()
    assert "Revisi 1, diterbitkan" in first and "285" in first


def test_the_pdf_is_a_real_a4_pdf_with_the_headline_figures(small_kabupaten, staf_client):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report, _ = report_issue(month=APRIL)
    response = staf_client.get("/laporan/2025/4/unduh.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="laporan-ikd-2025-04.pdf"' in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    # Summary, figures and the trend; kecamatan and desa; segments and outreach: three at most.
    assert len(pdf.pages) <= 3
    first = pdf.pages[0]
    # A4 is 595 × 842 points.
    assert float(first.mediabox.width) == pytest.approx(595, abs=1.5)
    assert float(first.mediabox.height) == pytest.approx(842, abs=1.5)
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Laporan capaian IKD April 2025" in text
    assert "285" in text and "12,4%" in text and "405" in text
    assert f"Halaman 1 dari {len(pdf.pages)}" in text  # page numbers in the footer
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text  # the office's header
    every_page = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Alasombo" in every_page  # the desa with the largest gaps, on paper too


def test_the_xlsx_holds_the_same_numbers_as_numbers(small_kabupaten, staf_client):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report_issue(month=APRIL)
    book = load_workbook(io.BytesIO(staf_client.get("/laporan/2025/4/unduh.xlsx").content))
    assert book.sheetnames == [
        "Ringkasan",
        "Kecamatan",
        "Segmen",
        "Desa",
        "Jemput bola",
        "Metadata",
    ]
    metadata = {row[0]: row[1] for row in book["Metadata"].iter_rows(values_only=True)}
    assert metadata["Wilayah"].endswith("(33.11)")
    assert metadata["Data per tanggal"].date() == dt.date(2025, 4, 10)
    assert metadata["Dasar persentase"].startswith("Pemilik KTP-el")
    assert "SIAK/IKD" in metadata["Sumber"] and metadata["Waktu ekspor"].endswith("(Asia/Jakarta)")
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Sudah aktivasi"] == 285 and summary["Kekurangan (orang)"] == 405
    assert summary["Capaian (%)"] == pytest.approx(12.39)
    kecamatan = list(book["Kecamatan"].iter_rows(min_row=2, values_only=True))
    assert [(k[1], k[3], k[5]) for k in kecamatan] == [("Weru", 180, 20), ("Bulu", 105, 5)]


def test_the_monthly_task_issues_last_months_report_once_even_when_run_twice(
    small_kabupaten, pimpinan, staf, django_capture_on_commit_callbacks
):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    six_in_jakarta = dt.datetime(2025, 5, 1, 6, 0, tzinfo=dt.UTC) - dt.timedelta(hours=7)
    with (
        time_machine.travel(six_in_jakarta),
        django_capture_on_commit_callbacks(execute=True),  # the email goes once committed
    ):
        issue_monthly_report_task()
        issue_monthly_report_task()
    assert list(MonthlyReport.objects.values_list("month", "revision")) == [(APRIL, 1)]
    # Pimpinan got it by email, with the PDF; staf did not.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pimpinan@example.go.id"]
    assert message.subject == "Laporan capaian IKD April 2025"
    assert "naik 1,1 poin sejak 31 Maret 2025" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("laporan-ikd-2025-04.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_all_roles_read_reports_but_only_admin_issues(
    small_kabupaten, client, staf, pimpinan, admin_user
):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    assert client.get("/laporan/").status_code == 302  # anonymous: to the login page
    for user in (staf, pimpinan, admin_user):
        client.force_login(user)
        assert client.get("/laporan/").status_code == 200
        assert client.get("/laporan/2025/4/").status_code == 200
    for user in (staf, pimpinan):
        client.force_login(user)
        assert client.post("/laporan/2025/4/terbitkan/").status_code == 403
        assert "Terbitkan laporan ini" not in client.get("/laporan/2025/4/").content.decode()
    assert not MonthlyReport.objects.exists()
    client.force_login(admin_user)
    assert client.post("/laporan/2025/4/terbitkan/").status_code == 302
    assert MonthlyReport.objects.count() == 1


def test_a_month_without_data_is_404(small_kabupaten, staf_client):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    assert staf_client.get("/laporan/2025/6/").status_code == 404
    assert staf_client.get("/laporan/2025/13/").status_code == 404


def test_the_report_footnotes_the_targets_source_and_denominator(small_kabupaten, staf_client):
    from kecamatan.models import Target

    Target.objects.filter(percent=30, segment=None, region=None).update(
        source_letter="400.8/1234/Dukcapil", source_date=dt.date(2025, 1, 2)
    )
    progress_recompute(as_of=dt.date(2025, 4, 10))
    html = staf_client.get("/laporan/2025/4/").content.decode()
    notes = html[html.index('data-testid="report-notes"') :]
    assert "Target 30% berlaku sejak 1 Januari 2025, tenggat 31 Desember 2025" in notes
    assert "persentase dihitung dari pemilik KTP-el" in notes
    assert "Dasar: surat 400.8/1234/Dukcapil tanggal 2 Januari 2025." in notes
