"""The outreach pages: a Petugas' scope on every page, planning and correcting a visit, the
failure reasons an Admin edits, and a fixed number of queries whatever the number of desa."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kecamatan.models import AuditEvent, FailureReason, KtpHolderCount, Region, Visit
from kecamatan.progress.runs import progress_recompute
from kecamatan.regions import region_closure_rebuild
from tests.outreach.outreach_data import D, outreach_visits_create, visit

APRIL_10 = D(2025, 4, 10)


@pytest.fixture
def visits(small_kabupaten, petugas, admin_user):
    progress_recompute(as_of=APRIL_10)
    return outreach_visits_create(petugas=petugas, admin=admin_user)


def _html(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


def test_a_petugas_sees_and_edits_only_its_kecamatans_visits(client, petugas, visits):
    client.force_login(petugas)
    listed = _html(client, "/jemput-bola/?dari=2024-01-01&sampai=2025-12-31")
    assert "SMA N 1 Weru" in listed and "Balai Desa Puron" not in listed
    assert client.get(f"/jemput-bola/kunjungan/{visits['V4'].pk}/").status_code == 404
    assert client.post(f"/jemput-bola/kunjungan/{visits['V4'].pk}/", {}).status_code == 404
    # Asking for another kecamatan in the URL shows its own instead.
    yield_page = _html(client, "/jemput-bola/hasil/?wilayah=33.11.02")
    assert "Kecamatan Weru" in yield_page and "Balai desa" not in yield_page
    assert "Puron" not in _html(client, "/jemput-bola/tujuan/?wilayah=33.11")
    assert "Alasombo" in _html(client, "/jemput-bola/tujuan/")
    calendar = _html(client, "/jemput-bola/kalender/?minggu=2025-04-14")
    assert "Balai Desa Puron" not in calendar
    # The entry page offers its own desa only.
    entry = _html(client, "/jemput-bola/catat/")
    assert 'value="33.11.01.2001"' in entry and 'value="33.11.02.2001"' not in entry
    # Its dashboard and its monthly report are its kecamatan's, never the kabupaten's.
    assert client.get("/")["Location"] == "/wilayah/33.11.01/"
    report = _html(client, "/laporan/2025/4/")
    assert "Kecamatan Weru" in report and "Puron" not in report
    assert client.get("/unggah/").status_code == 403


def test_a_petugas_corrects_a_held_visit_and_it_is_audited(client, petugas, visits):
    client.force_login(petugas)
    v1 = visits["V1"]
    form = _html(client, f"/jemput-bola/kunjungan/{v1.pk}/")
    assert 'name="gagal_tanpa_email"' in form and 'value="6"' in form
    response = client.post(
        f"/jemput-bola/kunjungan/{v1.pk}/",
        {
            "status": "held",
            "planned_on": "2025-03-03",
            "held_on": "2025-03-03",
            "region": "33.11.01.2001",
            "place": "sekolah",
            "location": "SMA N 1 Weru",
            "origin": "request",
            "letter_number": "421/55/SMA1/2025",
            "letter_date": "2025-02-20",
            "officers": [petugas.pk],
            "expected": "60",
            "activated": "41",
            "gagal_tanpa_email": "5",
        },
    )
    assert response.status_code == 302
    v1.refresh_from_db()
    assert (v1.activated, v1.origin, v1.letter_number) == (41, "request", "421/55/SMA1/2025")
    assert dict(v1.failures.values_list("reason_id", "people")) == {"tanpa_email": 5}
    event = AuditEvent.objects.get(action="visit_save")
    assert (event.username, event.detail["change"]) == ("petugas", "edited")


def test_the_visit_form_explains_what_is_wrong(client, petugas, visits):
    """A result is recorded on a visit's page (planning a new one asks only what planning
    needs): held without its day and count, on request without the letter."""
    client.force_login(petugas)
    response = client.post(
        f"/jemput-bola/kunjungan/{visits['V2'].pk}/",
        {
            "status": "held",
            "planned_on": "2025-04-01",
            "region": "33.11.01.2001",
            "place": "sekolah",
            "location": "SMA N 2 Weru",
            "origin": "request",
            "officers": [petugas.pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Isi tanggal pelaksanaan kegiatan yang terlaksana." in html
    assert "Isi jumlah orang yang berhasil aktivasi" in html
    assert "perlu nomor surat permintaannya" in html
    assert Visit.objects.count() == 7


def test_planning_a_visit_asks_only_what_planning_needs(client, petugas, visits):
    client.force_login(petugas)
    page = _html(client, "/jemput-bola/kunjungan/baru/")
    for absent in ('name="status"', 'name="held_on"', 'name="activated"', 'name="gagal_'):
        assert absent not in page
    # Only field officers to choose from; the desa under their kecamatan, a readable empty one.
    from django.contrib.auth.models import User

    offered = set(map(int, re.findall(r'name="officers" value="(\d+)"', page)))
    petugas_group = set(User.objects.filter(groups__name="Petugas").values_list("pk", flat=True))
    assert offered == petugas_group and len(offered) == 2  # petugas and budi; no Admin
    assert '<optgroup label="Weru">' in page and "— pilih desa/kelurahan —" in page
    assert "---------" not in page
    response = client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "planned_on": "14/04/2025",
            "region": "33.11.01.2002",
            "place": "pasar",
            "location": "Pasar Baru Tegalsari",
            "origin": "scheduled",
            "officers": [petugas.pk],
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get(location="Pasar Baru Tegalsari").status == "planned"


def test_staf_read_a_visit_without_a_form_and_cannot_post_one(client, staf, visits):
    client.force_login(staf)
    page = _html(client, f"/jemput-bola/kunjungan/{visits['V4'].pk}/")
    assert "Balai Desa Puron" in page and '<form method="post" class="visit-form"' not in page
    assert client.post(f"/jemput-bola/kunjungan/{visits['V4'].pk}/", {}).status_code == 403


def test_an_admin_edits_a_reason_and_adds_one(admin_client, visits):
    response = admin_client.post(
        "/jemput-bola/alasan/tanpa_hp/",
        {
            "code": "ignored",
            "name": "Tidak punya ponsel",
            "retryable": "on",
            "sort_order": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    reason = FailureReason.objects.get(code="tanpa_hp")  # the code stays
    assert (reason.name, reason.retryable) == ("Tidak punya ponsel", True)
    admin_client.post(
        "/jemput-bola/alasan/",
        {
            "code": "antre_panjang",
            "name": "Antrean terlalu panjang",
            "retryable": "on",
            "sort_order": 12,
            "active": "on",
        },
    )
    assert FailureReason.objects.get(code="antre_panjang").retryable
    assert AuditEvent.objects.filter(action="reason_save").count() == 2
    assert "Antrean terlalu panjang" in _html(admin_client, "/jemput-bola/catat/")


# --- a fixed number of queries ------------------------------------------------------------------


def _add_desa(parent: str, upto: int, petugas) -> None:
    """Give `parent` desa numbered up to `upto`, each with holders and a held visit."""
    have = Region.objects.filter(parent_id=parent).count()
    new = [
        Region(
            code=f"{parent}.{3000 + i}",
            name=f"Desa {i}",
            level="desa",
            depth=4,
            parent_id=parent,
        )
        for i in range(have + 1, upto + 1)
    ]
    Region.objects.bulk_create(new)
    region_closure_rebuild()
    KtpHolderCount.objects.bulk_create(
        KtpHolderCount(region=r, segment_id="umum", valid_from=dt.date(2023, 1, 1), holders=100)
        for r in new
    )
    for r in new:
        visit(
            r.code, "desa", f"Balai {r.name}", "held", D(2025, 4, 8), [petugas], 3, {"tanpa_hp": 1}
        )


@pytest.mark.parametrize(
    "path",
    [
        "/jemput-bola/?dari=2025-04-01",
        "/jemput-bola/hasil/",
        "/jemput-bola/tujuan/?n=0",
        "/jemput-bola/tujuan/unduh.xlsx?n=0",
        "/jemput-bola/rencana/",
        "/jemput-bola/rencana/?petugas=40&hari=6",
        "/jemput-bola/rencana/unduh.xlsx",
        "/jemput-bola/selisih/",
        "/jemput-bola/kalender/?minggu=2025-04-07",
        "/jemput-bola/rekap/?tanggal=2025-04-08",
        "/api/v1/outreach/next/?n=500",
        "/api/v1/outreach/plan/?weeks=13&as_of=2025-03-31",
        "/api/v1/outreach/yield/",
        "/api/v1/outreach/visits/?since=2025-04-01",
    ],
)
def test_an_outreach_page_runs_the_same_queries_with_12_or_300_desa(
    admin_client, visits, petugas, path
):
    counts = {}
    for desa in (12, 300):
        _add_desa("33.11.01", desa, petugas)
        progress_recompute(as_of=APRIL_10)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(path).status_code == 200
        counts[desa] = len(queries)
    # The plan reads more (evidence, pools, capacity, the organic trend, the team's track
    # record) to run its schedule in memory: a few more queries, as constant as the others'.
    budget = 32 if "rencana" in path or "plan" in path else 20
    assert counts[12] == counts[300] <= budget, counts


@pytest.mark.parametrize(
    "language, message",
    [("id", "Bidang ini harus diisi."), ("en", "This field is required.")],
)
def test_a_form_error_is_the_servers_next_to_its_field_in_the_pages_language(
    client, petugas, visits, language, message
):
    """No browser bubble in the browser's own language: the form asks the browser not to check
    (novalidate) and the server's message sits under the field, marked as required."""
    client.force_login(petugas)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/jemput-bola/kunjungan/baru/").content.decode()
    assert 'class="visit-form" novalidate' in page
    location = page.split('for="id_location"', 1)[1].split("</label>", 1)[0]
    assert 'class="req"' in location
    response = client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "status": "planned",
            "planned_on": "14/04/2025",
            "region": "33.11.01.2001",
            "place": "sekolah",
            "location": "",
            "origin": "scheduled",
            "officers": [petugas.pk],
        },
    )
    field = response.content.decode().split('for="id_location"', 1)[1].split("</div>", 1)[0]
    assert f'<p class="error" role="alert">{message}</p>' in field
