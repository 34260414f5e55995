"""Institution rosters: uploaded whole, replaced per institution, matched to the activations by
the NIK's keyed hash, counted as of any date against the institution's target.

The hand-made set sits on the small kabupaten (tests/conftest.py,
tests/institutions/roster_data.py):

    DINDIK (OPD, Weru): serials 1–4 (activated 1 Feb 2023), 131–133 (20 Mar 2025), 161 (1 Apr
        2025), 3 never activated, 2 NIKs issued in Surakarta → 13 members; activated 4 by
        31 Dec 2024, 7 by 31 Mar 2025, 8 by 9 Apr 2025.
    SMAN1WERU (school, Alasombo): serials 81–86 (1 Jun 2024) and 4 never activated → 10 members.
    POLSEK-BULU (Polri, Bulu): serials 181–183 (1 Mar 2023) and 1 never activated → 4 members.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikd_dashboard.numbers import rounded
from kecamatan.institutions.selectors import institution_figures
from kecamatan.models import AuditEvent, Institution, InstitutionTarget, RosterMember, Upload
from kecamatan.nik import nik_hash
from kecamatan.pagecache import pages_changed
from tests.institutions.roster_data import NOT_ACTIVATED, SURAKARTA, WERU_NIK

APRIL_9, MARCH_31, END_2024 = dt.date(2025, 4, 9), dt.date(2025, 3, 31), dt.date(2024, 12, 31)
HEADER = "kode_instansi,nama_instansi,jenis,kode_wilayah,nik,nama"
BULU_NIK = "3311020101900{:03d}"


def _lines() -> list[str]:
    dindik = "DINDIK,Dinas Pendidikan,opd,33.11.01"
    school = "SMAN1WERU,SMA Negeri 1 Weru,sekolah,33.11.01.2001"
    polsek = "POLSEK-BULU,Polsek Bulu,polri,33.11.02"
    return [
        HEADER,
        *(f"{dindik},{WERU_NIK.format(n)},Pegawai {n}" for n in (1, 2, 3, 4, 131, 132, 133, 161)),
        *(f"{dindik},{NOT_ACTIVATED.format(n)},Belum {n}" for n in (1, 2, 3)),
        *(f"{dindik},{SURAKARTA.format(n)},Pindahan {n}" for n in (1, 2)),
        f"{dindik},{WERU_NIK.format(1)},Pegawai 1 (dua kali)",
        *(f"{school},{WERU_NIK.format(n)},Guru {n}" for n in range(81, 87)),
        *(f"{school},{NOT_ACTIVATED.format(n)},Siswa {n}" for n in range(10, 14)),
        *(f"{polsek},{BULU_NIK.format(n)},Anggota {n}" for n in (181, 182, 183)),
        f"{polsek},{NOT_ACTIVATED.format(20)},Anggota baru",
    ]


def _write(tmp_path, lines: list[str], name: str = "daftar.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(path, *args) -> str:
    out = io.StringIO()
    call_command("import_data", "roster", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rosters(small_kabupaten, tmp_path):
    """The hand-made set imported, with the regent's circular: every OPD 100% in 2025."""
    _import(_write(tmp_path, _lines()))
    InstitutionTarget.objects.create(
        kind="opd",
        percent=100,
        valid_from=dt.date(2025, 1, 1),
        deadline=dt.date(2025, 6, 30),
        source_letter="SE Bupati 400/123",
    )
    return small_kabupaten


def _by_code(as_of, **filters) -> dict:
    return {r["code"]: r for r in institution_figures(as_of=as_of, **filters)}


# --- import -------------------------------------------------------------------------------------


def test_a_roster_file_loads_its_institutions_and_members_as_hashes_only(small_kabupaten, tmp_path):
    output = _import(_write(tmp_path, _lines()))
    assert "Dibaca 28, anggota baru 27, sudah di daftar 0" in output
    assert "ganda dalam berkas 1" in output
    institutions = {i.code: i for i in Institution.objects.all()}
    assert set(institutions) == {"DINDIK", "SMAN1WERU", "POLSEK-BULU"}
    dindik = institutions["DINDIK"]
    assert (dindik.name, dindik.kind, dindik.region_id, dindik.segment_id) == (
        "Dinas Pendidikan",
        "opd",
        "33.11.01",
        "asn",  # the kind's usual segment
    )
    assert institutions["SMAN1WERU"].segment_id == "pelajar"
    assert dindik.roster_upload == Upload.objects.get()
    assert RosterMember.objects.filter(institution=dindik).count() == 13
    stored = set(RosterMember.objects.values_list("nik_hash", flat=True))
    assert nik_hash(WERU_NIK.format(1)) in stored
    # Nothing but hashes: no NIK and no name in any stored member or institution.
    for value in RosterMember.objects.values_list("nik_hash", flat=True):
        assert len(value) == 64 and not value.startswith("3311")
    assert not Institution.objects.filter(name__contains="Pegawai").exists()


def test_members_with_a_nik_issued_outside_the_kabupaten_are_flagged(rosters):
    flagged = set(
        RosterMember.objects.filter(outside_kabupaten=True).values_list("nik_hash", flat=True)
    )
    assert flagged == {nik_hash(SURAKARTA.format(1)), nik_hash(SURAKARTA.format(2))}
    assert _by_code(APRIL_9)["DINDIK"]["outside"] == 2
    assert _by_code(APRIL_9)["SMAN1WERU"]["outside"] == 0


def test_figures_as_of_two_dates_are_the_ones_worked_out_by_hand(rosters):
    april, march = _by_code(APRIL_9), _by_code(MARCH_31)
    # 13 on the roster, 2 with a Surakarta NIK: 11 counted towards the kabupaten's target.
    dindik = april["DINDIK"]
    assert (dindik["members"], dindik["outside"], dindik["members_counted"]) == (13, 2, 11)
    assert dindik["activated"] == 8
    assert rounded(dindik["percent"]) == Decimal("72.73")  # 8 of 11
    # The circular's 100% for OPD: every counted member.
    assert april["DINDIK"]["target_percent"] == 100
    assert april["DINDIK"]["target_source"] == "jenis"
    assert (april["DINDIK"]["target_people"], april["DINDIK"]["gap_people"]) == (11, 3)
    assert (march["DINDIK"]["activated"], march["DINDIK"]["gap_people"]) == (7, 4)
    # The school follows its segment's (the general 30%): ceil(10 × 30%) = 3, 6 activated.
    assert april["SMAN1WERU"]["activated"] == 6
    assert april["SMAN1WERU"]["target_source"] == "segmen"
    assert (april["SMAN1WERU"]["target_people"], april["SMAN1WERU"]["gap_people"]) == (3, 0)
    # Before the circular, DINDIK follows the 25% of 2024: ceil(11 × 25%) = 3, reached.
    before = _by_code(END_2024)["DINDIK"]
    assert (before["activated"], before["target_percent"], before["gap_people"]) == (4, 25, 0)
    # Furthest behind first: by people still needed.
    assert [r["code"] for r in institution_figures(as_of=APRIL_9)][0] == "DINDIK"


def test_an_institutions_own_target_beats_its_kinds(rosters):
    dindik = Institution.objects.get(code="DINDIK")
    InstitutionTarget.objects.create(
        institution=dindik, percent=50, valid_from=dt.date(2025, 3, 1), deadline=dt.date(2025, 9, 1)
    )
    figures = _by_code(APRIL_9)["DINDIK"]
    assert (figures["target_percent"], figures["target_source"]) == (50, "instansi")
    assert (figures["target_people"], figures["gap_people"]) == (6, 0)  # ceil(5,5); 8 activated
    # Before it starts, the kind's version is in force.
    assert _by_code(dt.date(2025, 2, 1))["DINDIK"]["target_source"] == "jenis"


def test_filters_by_kind_and_region(rosters):
    assert set(_by_code(APRIL_9, kind="opd")) == {"DINDIK"}
    from kecamatan.models import Region

    assert set(_by_code(APRIL_9, region=Region.objects.get(code="33.11.01"))) == {
        "DINDIK",
        "SMAN1WERU",
    }
    assert set(_by_code(APRIL_9, region=Region.objects.get(code="33.11.02"))) == {"POLSEK-BULU"}


def test_an_institution_in_a_new_file_replaces_its_roster_and_the_others_stay(rosters, tmp_path):
    moved = [
        HEADER,
        "DINDIK,Dinas Pendidikan dan Kebudayaan,opd,,3311010101900001,Tetap",
        "DINDIK,Dinas Pendidikan dan Kebudayaan,opd,,3311010101900005,Pindah masuk",
    ]
    output = _import(_write(tmp_path, moved, "pindah.csv"))
    # 1 already on the roster, 1 new, 12 leave it.
    assert "anggota baru 1, sudah di daftar 1, keluar dari daftar 12" in output
    dindik = Institution.objects.get(code="DINDIK")
    assert dindik.name == "Dinas Pendidikan dan Kebudayaan"
    assert dindik.region_id == "33.11.01"  # no region in the file: kept
    assert set(
        RosterMember.objects.filter(institution=dindik).values_list("nik_hash", flat=True)
    ) == {
        nik_hash(WERU_NIK.format(1)),
        nik_hash(WERU_NIK.format(5)),
    }
    assert RosterMember.objects.filter(institution__code="SMAN1WERU").count() == 10
    figures = _by_code(APRIL_9)["DINDIK"]
    assert (figures["members"], figures["activated"], figures["gap_people"]) == (2, 2, 0)
    upload = Upload.objects.latest("pk")
    assert upload.notes["institutions"] == [
        {
            "code": "DINDIK",
            "name": "Dinas Pendidikan dan Kebudayaan",
            "kind": "opd",
            "new": False,
            "before": 13,
            "after": 2,
            "outside": 0,
        }
    ]


def test_the_same_file_twice_changes_nothing(rosters, tmp_path):
    output = _import(_write(tmp_path, _lines()))
    assert "sudah diimpor" in output
    assert RosterMember.objects.count() == 27


def test_an_earlier_file_again_after_another_replaced_it_restores_its_roster(rosters, tmp_path):
    # People moved out, then the office finds the move was a mistake and sends the old list.
    moved = [HEADER, "DINDIK,Dinas Pendidikan,opd,,3311010101900005,Pindah masuk"]
    _import(_write(tmp_path, moved, "pindah.csv"))
    assert RosterMember.objects.filter(institution__code="DINDIK").count() == 1
    output = _import(_write(tmp_path, _lines(), "lagi.csv"))
    assert "sudah diimpor" not in output
    assert RosterMember.objects.filter(institution__code="DINDIK").count() == 13
    assert RosterMember.objects.count() == 27
    # And that same file once more, with nothing in between, is the duplicate again.
    assert "sudah diimpor" in _import(_write(tmp_path, _lines(), "sekali-lagi.csv"))


def test_a_dry_run_stores_nothing(small_kabupaten, tmp_path):
    output = _import(_write(tmp_path, _lines()), "--dry-run")
    assert "anggota baru 27" in output and "uji coba" in output
    assert not Institution.objects.exists() and not RosterMember.objects.exists()
    assert not Upload.objects.exists()


def test_one_bad_row_rejects_the_whole_file_with_the_nik_masked(rosters, tmp_path):
    lines = [
        *_lines()[:3],
        "DINDIK,Dinas Pendidikan,opd,33.11.01,3311019999900001,Tanggal lahir salah",
        "DINDIK,Dinas Pendidikan,opd,33.11.01,3.31101E+15,Excel",
        "DINDIK,Dinas Pendidikan,opd,33.11.01,3311010101900777,Baik",
        "BARU,Instansi Baru,kantor,33.11.01,3311010101900778,Jenis salah",
        "DINDIK,Dinas Kesehatan,opd,33.11.01,3311010101900779,Nama lain",
        "3311010101900780,Kode NIK,opd,33.11.01,3311010101900781,Kode seperti NIK",
    ]
    before = RosterMember.objects.count()
    with pytest.raises(CommandError, match="Berkas ditolak"):
        _import(_write(tmp_path, lines, "salah.csv"))
    assert RosterMember.objects.count() == before
    assert not Institution.objects.filter(code="BARU").exists()
    upload = Upload.objects.latest("pk")
    messages = {(e["line"], e["column"]): e for e in upload.errors}
    assert messages[(4, "NIK")]["value"] == "3311**********01"
    assert "tanggal lahir" in messages[(4, "NIK")]["message"]
    assert "format kolom NIK sebagai Teks" in messages[(5, "NIK")]["message"]
    assert "Jenis instansi tidak dikenal" in messages[(7, "jenis")]["message"]
    assert "Baris 2 memberi nama lain" in messages[(8, "nama_instansi")]["message"]
    assert "seperti NIK" in messages[(9, "kode_instansi")]["message"]
    assert "3311010101900780" not in str(upload.errors)


def test_an_activation_file_is_not_taken_for_a_roster_and_back(small_kabupaten, tmp_path):
    activations = _write(tmp_path, ["nik,tanggal_aktivasi,kode_wilayah"], "aktivasi.csv")
    with pytest.raises(CommandError, match="berkas aktivasi, bukan roster"):
        _import(activations)
    out = io.StringIO()
    with pytest.raises(CommandError, match="berkas roster, bukan aktivasi"):
        call_command("import_data", "aktivasi", str(_write(tmp_path, [HEADER])), stdout=out)


def test_a_limited_admin_loads_rosters_of_its_kecamatan_only(rosters, client, tmp_path, settings):
    from django.contrib.auth.models import Group, User

    from kecamatan.models import UserRegion
    from kecamatan.uploads.service import upload_create, upload_run

    admin = User.objects.create_user("admin-weru", password="x")
    admin.groups.add(Group.objects.get(name="Admin"))
    UserRegion.objects.create(user=admin, region_id="33.11.01")
    lines = [
        HEADER.replace(",kode_wilayah", ""),
        "POLSEK-BULU,Polsek Bulu,polri,3311020101900181,x",  # Bulu's: not for Weru's admin
        "POLSEK-BULU,Polsek Bulu,polri,3311020101900182,x",
        "PUSKESMAS-WERU,Puskesmas Weru,opd,3311010101900010,x",  # new: placed in Weru
    ]
    path = _write(tmp_path, lines, "weru.csv")
    upload = upload_create(kind="roster", path=path, file_name="weru.csv", user=admin)
    report = upload_run(upload=upload, dry_run=False)
    assert not report.ok
    assert [e.message for e in report.errors] == [  # said once, not on every row
        "Instansi POLSEK-BULU terdaftar di wilayah di luar wilayah akun Anda."
    ]
    path = _write(tmp_path, [lines[0], lines[3]], "weru2.csv")
    upload = upload_create(kind="roster", path=path, file_name="weru2.csv", user=admin)
    assert upload_run(upload=upload, dry_run=False).ok
    assert Institution.objects.get(code="PUSKESMAS-WERU").region_id == "33.11.01"


def test_the_upload_page_previews_the_institutions_and_imports(
    admin_client, small_kabupaten, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.UPLOAD_DIR = tmp_path
    body = "\n".join(_lines()).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/unggah/", {"kind": "roster", "file": SimpleUploadedFile("daftar.csv", body)}
        )
    upload = Upload.objects.get()
    assert response["Location"] == f"/unggah/{upload.pk}/"
    page = admin_client.get(f"/unggah/{upload.pk}/").content.decode()
    assert "Siap diimpor" in page and "Dinas Pendidikan" in page and "Anggota baru" in page
    assert "Keluar dari daftar" not in page  # "akan keluar": a preview
    assert not RosterMember.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    upload.refresh_from_db()
    assert upload.status == "imported" and RosterMember.objects.count() == 27
    assert list(tmp_path.iterdir()) == []  # the file (raw NIKs) is gone
    # A roster changes no region's figures: no recompute was started for it.
    from kecamatan.models import RecomputeRun

    assert not RecomputeRun.objects.exists()


# --- pages and API --------------------------------------------------------------------------------


def test_the_ranking_page_shows_who_lags_and_by_how_many_people(rosters, pimpinan, client):
    client.force_login(pimpinan)
    page = client.get("/instansi/").content.decode()
    table = page[page.index('data-testid="institutions"') :]
    assert table.index("Dinas Pendidikan") < table.index("SMA Negeri 1 Weru")
    assert "72,7%" in page  # DINDIK: 8 of its 11 counted members
    assert 'data-chart="ranking-chart-data"' in page
    opd = client.get("/instansi/?jenis=opd&tanggal=31/03/2025").content.decode()
    # 7 of 11 on 31 March is 63,636…%: 63,64% in the API, 63,6% on the page, each rounded once.
    assert "SMA Negeri 1 Weru" not in opd and "63,6%" in opd
    detail = client.get("/instansi/DINDIK/").content.decode()
    assert 'data-chart="trend-chart-data"' in detail
    assert "<strong>100%</strong> s.d. 30 Juni 2025" in detail


def test_an_institutions_page_lists_the_outreach_visits_that_named_it(rosters, pimpinan, client):
    from tests.outreach.outreach_data import visit

    visit(
        "33.11.01.2001",
        "instansi",
        "Aula Dinas Pendidikan",
        "held",
        dt.date(2025, 3, 12),
        [],
        activated=3,
        institution="dinas pendidikan",  # as an officer typed it
    )
    visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", dt.date(2025, 3, 13), [], 9)
    client.force_login(pimpinan)
    page = client.get("/instansi/DINDIK/").content.decode()
    section = page[page.index('data-testid="institution-visits"') :]
    assert "Aula Dinas Pendidikan" in section and "12 Maret 2025" in section
    assert "SMA N 1 Weru" not in section


def test_the_download_has_the_pages_rows_and_plain_numbers(rosters, pimpinan, client):
    client.force_login(pimpinan)
    csv_text = client.get("/instansi/unduh.csv?jenis=opd").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[1].startswith("DINDIK,Dinas Pendidikan,")
    assert ",13,2,11,8,72.73,100.00," in lines[1]  # members, outside, counted, activated, %
    assert lines[2].startswith("Jumlah (1 instansi)")


def test_the_api_gives_each_institution_in_the_documented_shape(rosters, pimpinan, client):
    client.force_login(pimpinan)
    body = client.get("/api/v1/institutions/?region=33.11.01&as_of=2025-03-31").json()
    assert body["as_of"] == "2025-03-31"
    dindik = next(i for i in body["institutions"] if i["code"] == "DINDIK")
    assert dindik == {
        "code": "DINDIK",
        "name": "Dinas Pendidikan",
        "kind": "opd",
        "region": "33.11.01",
        "members": 13,
        "members_counted": 11,  # 2 with a Surakarta NIK are shown apart
        "activated": 7,
        "percent": 63.64,
        "target_percent": 100.0,
        "gap_people": 4,
        "outside_kabupaten": 2,
        "small": False,
    }
    assert [i["code"] for i in body["institutions"]] == ["DINDIK", "SMAN1WERU"]
    assert client.get("/api/v1/institutions/?kind=pasar").status_code == 400
    assert client.get("/api/v1/institutions/?as_of=2030-01-01").status_code == 400
    assert client.get("/api/v1/institutions/?region=99.99").status_code == 404


def test_an_admin_edits_an_institution_and_sets_a_target_for_a_kind(rosters, admin_client):
    response = admin_client.post(
        "/instansi/SMAN1WERU/ubah/",
        {"name": "SMA N 1 Weru", "kind": "sekolah", "region": "33.11.01", "segment": "pelajar"},
    )
    assert response.status_code == 302
    assert Institution.objects.get(code="SMAN1WERU").region_id == "33.11.01"
    admin_client.post(
        "/instansi/target/",
        {"percent": "80", "valid_from": "2025-01-01", "deadline": "2025-12-31", "kind": "sekolah"},
    )
    assert _by_code(APRIL_9)["SMAN1WERU"]["gap_people"] == 2  # 8 of 10 needed, 6 activated
    both = admin_client.post(
        "/instansi/target/",
        {
            "percent": "80",
            "valid_from": "2025-02-01",
            "deadline": "2025-12-31",
            "kind": "sekolah",
            "institution": Institution.objects.get(code="DINDIK").pk,
        },
    )
    assert "Pilih satu" in both.content.decode()
    assert AuditEvent.objects.filter(action="institution_save").count() == 1
    assert AuditEvent.objects.filter(action="institution_target").count() == 1


def _more_institutions(total: int) -> None:
    from kecamatan.models import RosterMember

    have = Institution.objects.count()
    new = Institution.objects.bulk_create(
        Institution(
            code=f"SD{i:04d}",
            name=f"Sekolah {i}",
            kind="sekolah",
            region_id="33.11.01.2002",
            segment_id="pelajar",
        )
        for i in range(have, total)
    )
    RosterMember.objects.bulk_create(
        RosterMember(institution=inst, nik_hash=nik_hash(NOT_ACTIVATED.format(n % 900 + 50)))
        for inst in new
        for n in range(6)
    )
    InstitutionTarget.objects.bulk_create(
        InstitutionTarget(
            institution=inst,
            percent=90,
            valid_from=dt.date(2025, 1, 1),
            deadline=dt.date(2025, 12, 31),
        )
        for inst in new[::3]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/instansi/",
        "/instansi/?jenis=sekolah&urut=persen",
        "/instansi/unduh.xlsx",
        "/api/v1/institutions/",
    ],
)
def test_a_page_runs_the_same_number_of_queries_for_5_or_200_institutions(
    rosters, staf_client, path
):
    counts = {}
    for total in (5, 200):
        _more_institutions(total)
        pages_changed()  # both cold: what is read once per data generation is read for each
        with CaptureQueriesContext(connection) as queries:
            assert staf_client.get(path).status_code == 200
        counts[total] = len(queries)
    assert counts[5] == counts[200] <= 14, counts
