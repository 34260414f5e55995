"""Check my list (cek daftar): an Admin's list comes back with who has activated, and nothing of
it is left anywhere — not on disk (no file is even opened for writing while it is checked), not
in the database (one audit entry with counts), not in the logs — and it cannot become a lookup
service (size, rows, checks per hour, rows per day)."""

import datetime as dt
import io
import logging
import sys
import tempfile

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from kecamatan.models import AuditEvent, Upload
from kecamatan.nik import nik_hash
from tests.institutions.roster_data import NOT_ACTIVATED, SURAKARTA, WERU_NIK
from tests.uploads.test_ingest_safety import _database_dump

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fresh_limits():
    """The limits count in the cache, which outlives a test."""
    cache.clear()


def _list_csv(extra_rows: int = 0, padding: str = "") -> bytes:
    lines = ["No;Nama;NIK;Jabatan;Alamat"]
    lines += [
        f"1;Budi;{WERU_NIK.format(1)};Guru;{padding}",  # activated 1 February 2023
        f"2;Sari;{NOT_ACTIVATED.format(1)};Guru;{padding}",
        f"3;Andi;{WERU_NIK.format(161)};Staf TU;{padding}",  # 1 April 2025
        f"4;Dewi;{SURAKARTA.format(1)};Guru;{padding}",
        f"5;Salah ketik;33110101019;Guru;{padding}",
    ]
    lines += [
        f"{6 + i};Siswa {i};{NOT_ACTIVATED.format(i)};Siswa;{padding}" for i in range(extra_rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _rows(response) -> list[tuple]:
    assert response["Content-Type"] == XLSX, response.content[:300]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _check(client, body: bytes, name: str = "daftar-guru.csv"):
    return client.post("/instansi/cek/", {"file": SimpleUploadedFile(name, body)})


def test_the_list_comes_back_with_who_has_activated_and_when(admin_client, small_kabupaten):
    rows = _rows(_check(admin_client, _list_csv()))
    assert rows[0] == (
        "No",
        "Nama",
        "NIK",
        "Jabatan",
        "Alamat",
        "status_ikd",
        "tanggal_aktivasi_ikd",
    )
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Budi"][2] == WERU_NIK.format(1)  # the same file: the NIK stays as text
    assert by_name["Budi"][5:] == ("sudah", dt.datetime(2023, 2, 1))
    assert by_name["Andi"][5:] == ("sudah", dt.datetime(2025, 4, 1))
    assert by_name["Sari"][5:] == ("belum", None)
    assert by_name["Dewi"][5:] == ("belum", None)
    assert by_name["Salah ketik"][5:] == ("NIK tidak valid", None)
    event = AuditEvent.objects.get(action="roster_check")
    assert event.username == "admin" and event.target == "daftar-guru.csv"
    assert event.detail == {"rows": 5, "found": 2, "invalid": 1}
    audit_page = admin_client.get("/audit/").content.decode()
    assert (
        "Cek daftar" in audit_page and "5 baris. 2 sudah aktivasi. 1 NIK tidak valid." in audit_page
    )


def test_a_workbook_checked_twice_gets_fresh_columns_not_a_second_pair(
    admin_client, small_kabupaten
):
    book = Workbook()
    sheet = book.active
    sheet.append(["nik", "nama", "status_ikd", "tanggal_aktivasi_ikd"])
    sheet.append([WERU_NIK.format(2), "Budi", "belum", None])
    out = io.BytesIO()
    book.save(out)
    rows = _rows(_check(admin_client, out.getvalue(), "lama.xlsx"))
    assert rows[0] == ("nik", "nama", "status_ikd", "tanggal_aktivasi_ikd")
    assert rows[1][:3] == (WERU_NIK.format(2), "Budi", "sudah")


class Writes:
    """Every file opened for writing in this process while it is on (a Python audit hook: it
    sees what Django, openpyxl, XlsxWriter or anything else opens, wherever)."""

    installed = None

    def __init__(self):
        self.on, self.paths = False, []

    def __call__(self, event, args):
        if self.on and event == "open" and args[0] is not None:
            mode, flags = args[1], args[2]
            writing = (mode and any(c in mode for c in "wax+")) or (flags & 0o3)
            if writing:
                self.paths.append(args[0])


@pytest.fixture(scope="session")
def writes():
    if Writes.installed is None:  # an audit hook stays for the life of the process
        Writes.installed = Writes()
        sys.addaudithook(Writes.installed)
    return Writes.installed


def _table_counts() -> dict:
    return {m._meta.db_table: m.objects.count() for m in apps.get_models()}


def test_a_check_writes_no_file_and_adds_only_its_audit_entry(
    admin_client, small_kabupaten, settings, tmp_path, writes, monkeypatch
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.UPLOAD_DIR.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB): Django alone would spill it to a temporary file.
    body = _list_csv(extra_rows=5000, padding="Jl. " + "x" * 400)
    assert len(body) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    counts = _table_counts()
    writes.paths.clear()
    writes.on = True
    try:
        response = _check(admin_client, body)
    finally:
        writes.on = False
    assert len(_rows(response)) == 5006
    assert writes.paths == []
    assert list(temp.iterdir()) == [] and list(settings.UPLOAD_DIR.iterdir()) == []
    after = _table_counts()
    assert after.pop("kecamatan_auditevent") == counts.pop("kecamatan_auditevent") + 1
    assert after == counts


def test_an_ordinary_upload_would_have_touched_the_disk(
    admin_client, small_kabupaten, settings, tmp_path, writes
):
    """The check above can fail: the same body through the upload page is written to disk."""
    settings.UPLOAD_DIR = tmp_path
    writes.paths.clear()
    writes.on = True
    try:
        admin_client.post(
            "/unggah/",
            {
                "kind": "roster",
                "file": SimpleUploadedFile("daftar.csv", _list_csv(5000, "x" * 400)),
            },
        )
    finally:
        writes.on = False
    assert writes.paths


@pytest.mark.django_db(transaction=True)
def test_no_nik_nor_hash_of_a_checked_list_is_in_the_database_or_the_logs(
    client, tmp_path, caplog, settings
):
    from django.contrib.auth.models import Group, User

    from tests.conftest import PASSWORD, small_kabupaten_create

    settings.DEBUG = True  # every SQL statement in the logs too
    caplog.set_level(logging.DEBUG)
    small_kabupaten_create()
    admin = User.objects.create_user("admin", password=PASSWORD, is_staff=True, is_superuser=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    client.force_login(admin)
    # Both features: a roster imported through the page, and a list checked.
    roster = (
        "kode_instansi,nama_instansi,jenis,nik,nama\n"
        f"DINKES,Dinas Kesehatan,opd,{NOT_ACTIVATED.format(7)},Bidan\n"
        f"DINKES,Dinas Kesehatan,opd,{WERU_NIK.format(3)},Perawat\n"
    )
    settings.UPLOAD_DIR = tmp_path
    client.post(
        "/unggah/", {"kind": "roster", "file": SimpleUploadedFile("r.csv", roster.encode())}
    )
    from kecamatan.models import RosterMember

    upload = Upload.objects.get()
    client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    assert RosterMember.objects.count() == 2
    assert _check(client, _list_csv()).status_code == 200
    dump = _database_dump()
    assert "DINKES" in dump and "roster_check" in dump  # the dump holds both features' rows
    checked = [NOT_ACTIVATED.format(1), SURAKARTA.format(1), WERU_NIK.format(161)]
    for nik in [*checked, NOT_ACTIVATED.format(7), WERU_NIK.format(3)]:
        assert nik not in dump and nik not in caplog.text
    for nik in checked[:2]:  # looked up, never stored: not even their hashes
        assert nik_hash(nik) not in dump
    assert list(tmp_path.iterdir()) == []


def test_a_list_too_big_or_too_long_is_refused(admin_client, small_kabupaten, settings):
    settings.ROSTER_CHECK_MAX_BYTES = 20_000
    page = _check(admin_client, _list_csv(extra_rows=1000)).content.decode()
    assert "Berkas terlalu besar" in page
    settings.ROSTER_CHECK_MAX_BYTES = 10 * 2**20
    from kecamatan.institutions import check

    check.MAX_ROWS, before = 100, check.MAX_ROWS
    try:
        page = _check(admin_client, _list_csv(extra_rows=200)).content.decode()
    finally:
        check.MAX_ROWS = before
    assert "lebih dari 100 baris" in page
    assert AuditEvent.objects.filter(action="roster_check", detail__has_key="refused").exists()


def test_checks_are_limited_per_hour_and_rows_per_day(admin_client, small_kabupaten, settings):
    settings.ROSTER_CHECK_PER_HOUR = 3
    for _ in range(3):
        assert _check(admin_client, _list_csv())["Content-Type"] == XLSX
    page = _check(admin_client, _list_csv()).content.decode()
    assert "3 kali per jam" in page
    cache.clear()
    settings.ROSTER_CHECK_ROWS_PER_DAY = 12
    assert _check(admin_client, _list_csv(extra_rows=5))["Content-Type"] == XLSX  # 10 rows
    page = _check(admin_client, _list_csv()).content.decode()  # 5 more: 15 > 12
    assert "Batas harian cek daftar: 12 baris" in page
    refusals = AuditEvent.objects.filter(action="roster_check", detail__has_key="refused")
    assert refusals.count() == 2


def test_only_an_admin_of_the_whole_kabupaten_checks_and_csrf_still_guards_it(
    small_kabupaten, staf_client, admin_user
):
    assert _check(staf_client, _list_csv()).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert _check(strict, _list_csv()).status_code == 403
    page = strict.get("/instansi/cek/")
    token = page.cookies["csrftoken"].value
    response = strict.post(
        "/instansi/cek/",
        {"file": SimpleUploadedFile("d.csv", _list_csv()), "csrfmiddlewaretoken": token},
    )
    assert response["Content-Type"] == XLSX


def test_the_api_check_answers_with_the_xlsx(admin_user, staf, small_kabupaten):
    from rest_framework.authtoken.models import Token

    api = Client()
    token = Token.objects.create(user=admin_user)
    response = api.post(
        "/api/v1/institutions/check/",
        {"file": SimpleUploadedFile("d.csv", _list_csv())},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert _rows(response)[1][5] == "sudah"
    assert (response["X-IKD-Rows"], response["X-IKD-Found"]) == ("5", "2")
    missing = api.post("/api/v1/institutions/check/", {}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert missing.status_code == 400 and "file" in missing.json()["error"]
    staf_token = Token.objects.create(user=staf)
    refused = api.post(
        "/api/v1/institutions/check/",
        {"file": SimpleUploadedFile("d.csv", _list_csv())},
        HTTP_AUTHORIZATION=f"Token {staf_token.key}",
    )
    assert refused.status_code == 403


def test_the_api_check_refuses_a_body_over_the_limit_without_keeping_it(
    admin_user, small_kabupaten, settings
):
    from rest_framework.authtoken.models import Token

    settings.ROSTER_CHECK_MAX_BYTES = 50_000
    token = Token.objects.create(user=admin_user)
    response = Client().post(
        "/api/v1/institutions/check/",
        {"file": SimpleUploadedFile("d.csv", _list_csv(extra_rows=2000))},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["error"]
    assert not AuditEvent.objects.filter(action="roster_check").exists()  # never read


@pytest.mark.django_db(transaction=True)
def test_careless_rosters_through_the_upload_page_leave_no_nik_anywhere(
    client, admin_user, settings, tmp_path, caplog
):
    """NIKs where they do not belong — in the code, the name, the file name, an ignored column,
    a number cell of Excel — are refused masked or never read, and are nowhere afterwards."""
    from tests.conftest import small_kabupaten_create

    settings.UPLOAD_DIR = tmp_path / "uploads"
    caplog.set_level(logging.DEBUG)
    small_kabupaten_create()
    client.force_login(admin_user)
    a, b, c = NOT_ACTIVATED.format(31), NOT_ACTIVATED.format(32), NOT_ACTIVATED.format(33)
    header = "kode_instansi,nama_instansi,jenis,nik,catatan"
    book = Workbook()
    book.active.append(header.split(","))
    book.active.append(["DINSOS", "Dinas Sosial", "opd", int(a), ""])  # Excel made it a number
    xlsx = io.BytesIO()
    book.save(xlsx)
    files = {
        f"{a}.csv": f"{header}\nDINSOS,Dinas Sosial,opd,{b},\n",  # the file named after a NIK
        "kode.csv": f"{header}\n{a},Dinas Sosial,opd,{b},\n",
        "nama.csv": f"{header}\nDINSOS,Dinas Sosial {c},opd,{b},\n",
        "catatan.csv": f"{header}\nDINSOS,Dinas Sosial,opd,{b},NIK lama {c}\n",  # never read
        "angka.xlsx": xlsx.getvalue(),
    }
    pages = []
    for name, body in files.items():
        body = body.encode() if isinstance(body, str) else body
        client.post("/unggah/", {"kind": "roster", "file": SimpleUploadedFile(name, body)})
        upload = Upload.objects.latest("pk")
        if upload.status == "checked":
            client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
        pages.append(client.get(f"/unggah/{upload.pk}/").content.decode())
    outcomes = dict(Upload.objects.values_list("file_name", "status"))
    assert outcomes == {
        "3311**********31.csv": "imported",
        "kode.csv": "rejected",
        "nama.csv": "rejected",
        "catatan.csv": "imported",
        "angka.xlsx": "rejected",
    }
    assert "format kolom NIK sebagai Teks" in " ".join(pages)
    pages += [client.get(p).content.decode() for p in ("/unggah/riwayat/", "/audit/", "/instansi/")]
    dump = _database_dump()
    assert "DINSOS" in dump and "3311**********31" in dump  # the dump holds what was kept
    for nik in (a, b, c):
        for where, text in (("page", " ".join(pages)), ("log", caplog.text), ("db", dump)):
            assert nik not in text, (nik, where)
    assert list(settings.UPLOAD_DIR.iterdir()) == []
