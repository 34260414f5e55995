"""A Pimpinan limited to a kecamatan (a camat) reads, downloads and is emailed the monthly report
of that kecamatan — its desa ranked, its segments, its outreach — never the kabupaten's.
The small kabupaten: Weru (Alasombo, Tegalsari) and Bulu (Puron)."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from kecamatan.models import UserRegion
from kecamatan.progress.runs import progress_recompute
from reports.models import MonthlyReport
from reports.tasks import issue_monthly_report_task

WERU = "33.11.01"


@pytest.fixture
def camat(small_kabupaten, pimpinan):
    """The camat of Weru, beside the kabupaten's own Pimpinan (conftest)."""
    progress_recompute(as_of=dt.date(2025, 4, 10))
    user = User.objects.create_user("camat-weru", email="camat.weru@example.go.id", password="x")
    user.groups.add(Group.objects.get(name="Pimpinan"))
    UserRegion.objects.create(user=user, region_id=WERU)
    pimpinan.email = "kepala@example.go.id"
    pimpinan.save()
    return user


def test_the_camat_reads_weru_ranked_by_desa_and_nothing_of_bulu(camat, client):
    client.force_login(camat)
    html = client.get("/laporan/2025/4/").content.decode()
    assert "Kecamatan Weru" in html and "Peringkat desa/kelurahan" in html
    ranking = html[html.index('data-testid="report-kecamatan"') :].split("</table>")[0]
    # Alasombo: 30% of 1.300 = 390 against 160 activated; Tegalsari: 150 against 20.
    assert ranking.index("Alasombo") < ranking.index("Tegalsari")
    assert "230" in ranking and "130" in ranking
    assert "Bulu" not in html and "Puron" not in html
    book = load_workbook(io.BytesIO(client.get("/laporan/2025/4/unduh.xlsx").content))
    sheets = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    assert "Alasombo" in sheets and "Puron" not in sheets and "Bulu" not in sheets


def test_the_camats_pdf_is_weru_alone(camat, client):
    client.force_login(camat)
    response = client.get("/laporan/2025/4/unduh.pdf")
    assert 'filename="laporan-ikd-331101-2025-04-draf.pdf"' in response["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kecamatan Weru" in text and "Alasombo" in text
    assert "Puron" not in text and "Bulu" not in text


@pytest.fixture
def issued(camat, django_capture_on_commit_callbacks):
    """The monthly task on 1 May 2025, 06.00 WIB, as beat runs it: April is issued."""
    at = dt.datetime(2025, 4, 30, 23, 0, tzinfo=dt.UTC)
    with time_machine.travel(at), django_capture_on_commit_callbacks(execute=True):
        issue_monthly_report_task()
    return camat


def test_the_monthly_task_emails_each_pimpinan_their_own_report(issued):
    issued = dict(MonthlyReport.objects.values_list("scope", "figures__region__name"))
    assert issued == {"": "Kabupaten Sukoharjo", WERU: "Kecamatan Weru"}
    assert len(mail.outbox) == 2  # one message each, nobody gets the other report
    sent = {tuple(m.to): m for m in mail.outbox}
    assert set(sent) == {("kepala@example.go.id",), ("camat.weru@example.go.id",)}
    weru_mail = sent[("camat.weru@example.go.id",)]
    assert "Kecamatan Weru" in weru_mail.subject and "Bulu" not in weru_mail.body
    assert weru_mail.attachments[0][0] == "laporan-ikd-331101-2025-04.pdf"
    assert "Kecamatan Weru" not in sent[("kepala@example.go.id",)].subject


def test_the_camats_list_shows_weru_issued_and_the_kabupaten_still_its_own(
    issued, client, pimpinan
):
    client.force_login(issued)
    page = client.get("/laporan/2025/4/").content.decode()
    assert "Revisi 1, diterbitkan" in page and "Kecamatan Weru" in page
    client.force_login(pimpinan)
    page = client.get("/laporan/2025/4/").content.decode()
    assert "Kabupaten Sukoharjo" in page and "Peringkat kecamatan" in page
