"""Files whose header sits under a title block (government exports, printed recaps): the title
lines are skipped, the preview says how many, and row numbers stay the file's own."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook

from kecamatan.models import Institution, OfficialFigure, PeerFigure, RosterMember, Upload
from kecamatan.uploads.load import import_file
from kecamatan.uploads.readers import HEADER_SEARCH_ROWS
from tests.institutions.roster_data import NOT_ACTIVATED, WERU_NIK
from tests.institutions.test_roster_check import _check, _rows
from tests.uploads.test_ingest import recomputed, tables_fingerprint

# The title block of the issue: two lines (the second with a comma, which must not be taken for
# the delimiter) and a blank line; the header is on line 4.
TITLE = [
    ["DATA AKTIVASI IKD KABUPATEN SUKOHARJO"],
    ["PERIODE: 1 - 10 APRIL 2025, DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"],
    [],
]
# One table per kind, as the office's exports write them: semicolons, NIKs behind a `'`, dd/mm/yyyy
# dates, columns we do not read (NO, NAMA), an empty last cell.
TABLES = {
    "aktivasi": [
        ["NO", "NIK", "NAMA", "TANGGAL AKTIVASI", "KODE WILAYAH", "LOKASI"],
        ["1", "'3311014101900101", "Sri", "08/04/2025", "33.11.01.2001", "desa"],
        ["2", "'3311015202950202", "Ayu", "08/04/2025", "33.11.01.2002", ""],
        ["3", "'3311020303800303", "Budi", "07/04/2025", "33.11.02.2001", "instansi"],
    ],
    "rekap": [
        ["NO", "TANGGAL", "KODE WILAYAH", "SEGMEN", "JUMLAH"],
        ["1", "08/04/2025", "33.11.01", "umum", "1.234"],
        ["2", "08/04/2025", "33.11.02", "asn", "7"],
    ],
    "pemilik_ktp": [
        ["KODE WILAYAH", "SEGMEN", "JUMLAH", "PER TANGGAL", "KETERANGAN"],
        ["33.11.01.2001", "umum", "1.300", "01/01/2025", "DKB semester II"],
        ["33.11.02.2001", "umum", "450", "01/07/2025", ""],
    ],
    "roster": [
        ["KODE INSTANSI", "NAMA INSTANSI", "JENIS", "NIK", "NAMA"],
        ["DINDIK", "Dinas Pendidikan", "opd", "'" + WERU_NIK.format(1), "Sri"],
        ["DINDIK", "Dinas Pendidikan", "opd", "'" + NOT_ACTIVATED.format(1), "Budi"],
    ],
    "peringkat": [
        ["NO", "KABUPATEN/KOTA", "TANGGAL", "AKTIVASI", "WAJIB KTP", "PERSEN"],
        ["1", "Kab. Sukoharjo", "31/03/2025", "330", "2.300", "14,35"],
        ["2", "33.12", "31/03/2025", "60", "1.000", "6,0"],
    ],
}
AS_OF = dt.date(2025, 4, 9)


def csv_bytes(rows) -> bytes:
    return "".join(";".join(row) + "\r\n" for row in rows).encode()


def xlsx_bytes(rows) -> bytes:
    """As Excel holds such a table: the title in column A, dates as dates, an empty cell empty."""
    book = Workbook()
    for row in rows:
        book.active.append(
            [
                dt.datetime.strptime(value, "%d/%m/%Y") if value[2:3] == "/" else value or None
                for value in row
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {"csv": csv_bytes, "xlsx": xlsx_bytes}


class Undone(Exception):
    pass


def imported(tmp_path, small_kabupaten, *, kind: str, name: str, content: bytes) -> tuple:
    """What importing the file did (its counts, every row written, the figures after it), then
    undone, so that the same table can be imported again and compared."""
    path = tmp_path / name
    path.write_bytes(content)
    result = None
    try:
        with transaction.atomic():
            report = import_file(kind=kind, path=path)
            assert report.ok, (report.message, report.errors)
            result = (
                report.rows_read,
                report.rows_added,
                report.rows_known,
                report.rows_replaced,
                report.rows_rejected,
                report.data_through,
                sorted(report.touched_regions),
                tables_fingerprint(),
                sorted(RosterMember.objects.values_list("institution__code", "nik_hash")),
                sorted(Institution.objects.values_list("code", "name", "kind")),
                sorted(PeerFigure.objects.values_list("scope", "as_of", "code", "activated")),
                recomputed(small_kabupaten, AS_OF).totals,
            )
            raise Undone
    except Undone:
        pass
    return result


@pytest.mark.parametrize("kind", TABLES)
@pytest.mark.parametrize("file_format", FORMATS)
def test_a_table_under_a_title_block_imports_exactly_like_the_bare_table(
    tmp_path, small_kabupaten, kind, file_format
):
    to_bytes, table = FORMATS[file_format], TABLES[kind]
    bare = imported(tmp_path, small_kabupaten, kind=kind, name="a", content=to_bytes(table))
    titled = imported(
        tmp_path, small_kabupaten, kind=kind, name="b", content=to_bytes(TITLE + table)
    )
    assert bare[0] == len(table) - 1 and bare[1] + bare[2] + bare[3] > 0  # it wrote something
    assert titled == bare


def test_the_report_counts_the_lines_above_the_header(tmp_path, small_kabupaten):
    for name, rows, skipped in [
        ("bare", TABLES["aktivasi"], 0),
        ("titled", TITLE + TABLES["aktivasi"], 3),
        ("blank lines first", [[], []] + TABLES["aktivasi"], 0),  # no title: nothing to say
    ]:
        for file_format, to_bytes in FORMATS.items():
            path = tmp_path / f"{name}.{file_format}"
            path.write_bytes(to_bytes(rows))
            report = import_file(kind="aktivasi", path=path, dry_run=True)
            assert (report.ok, report.title_rows) == (True, skipped), (name, file_format)


@pytest.fixture
def upload(admin_client, small_kabupaten, django_capture_on_commit_callbacks, settings, tmp_path):
    """Send a file through the upload page; the upload, once checked."""
    settings.UPLOAD_DIR = tmp_path / "uploads"

    def send(content: bytes, *, kind: str = "aktivasi", name: str = "aktivasi.csv") -> Upload:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/unggah/", {"kind": kind, "file": SimpleUploadedFile(name, content)}
            )
        assert response.status_code == 302, response.content.decode()[:500]
        return Upload.objects.latest("pk")

    return send


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", ["aktivasi", "pemilik_ktp"])
def test_the_preview_says_how_many_title_lines_were_skipped(
    upload, admin_client, file_format, kind
):
    to_bytes = FORMATS[file_format]
    checked = upload(to_bytes(TITLE + TABLES[kind]), kind=kind, name=f"{kind}.{file_format}")
    assert checked.status == Upload.Status.CHECKED, (checked.message, checked.errors)
    assert checked.rows_read == len(TABLES[kind]) - 1
    html = admin_client.get(f"/unggah/{checked.pk}/").content.decode()
    assert "3 baris judul dilewati" in html and "Impor sekarang" in html
    bare = upload(to_bytes(TABLES[kind]), kind=kind, name=f"polos.{file_format}")
    assert "baris judul dilewati" not in admin_client.get(f"/unggah/{bare.pk}/").content.decode()


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_error_is_reported_on_the_line_a_person_sees_in_the_file(
    upload, admin_client, file_format
):
    bad_nik = "3311014113900102"  # no 13th month: not a birth date
    rows = TITLE + TABLES["aktivasi"][:2]  # the header on line 4, a good row on line 5
    rows += [["2", "'" + bad_nik, "Ayu", "08/04/2025", "33.11.01.2002", "desa"]]  # line 6
    checked = upload(FORMATS[file_format](rows), name=f"aktivasi.{file_format}")
    assert checked.status == Upload.Status.REJECTED
    assert [(e["line"], e["value"]) for e in checked.errors] == [(6, "3311**********02")]
    html = admin_client.get(f"/unggah/{checked.pk}/").content.decode()
    assert '<td class="num">6</td>' in html and "3311**********02" in html
    assert bad_nik not in html and bad_nik not in str(checked.errors) + checked.message


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_header_is_looked_for_in_the_first_20_rows_only(tmp_path, small_kabupaten, file_format):
    assert HEADER_SEARCH_ROWS == 20
    title = [[f"KETERANGAN {i}"] for i in range(1, 20)]
    path = tmp_path / f"19.{file_format}"
    path.write_bytes(FORMATS[file_format](title + TABLES["aktivasi"]))  # the header is row 20
    report = import_file(kind="aktivasi", path=path, dry_run=True)
    assert (report.ok, report.title_rows, report.rows_read) == (True, 19, 3)
    path = tmp_path / f"20.{file_format}"
    path.write_bytes(FORMATS[file_format]([["KETERANGAN 0"]] + title + TABLES["aktivasi"]))
    fingerprint = tables_fingerprint()
    report = import_file(kind="aktivasi", path=path)
    assert not report.ok
    assert report.message.startswith("Kolom wajib tidak ada: NIK, tanggal, kode_wilayah.")
    assert "baris judul berkas ini: KETERANGAN 0." in report.message
    assert tables_fingerprint() == fingerprint


def test_a_title_block_over_another_kinds_table_gets_todays_message(upload):
    checked = upload(csv_bytes(TITLE + TABLES["rekap"]), name="rekap.csv")
    assert checked.status == Upload.Status.REJECTED
    assert "Kolom wajib tidak ada: NIK" in checked.message
    assert "DATA AKTIVASI IKD KABUPATEN SUKOHARJO" in checked.message


def test_official_figures_under_a_title_block_are_read_and_the_page_says_so(
    admin_client, small_kabupaten
):
    rows = TITLE + [["KODE_WILAYAH", "TANGGAL", "JUMLAH"], ["33.11.01", "09/04/2025", "1.175"]]
    response = admin_client.post(
        "/rekonsiliasi/unggah/",
        {"file": SimpleUploadedFile("resmi.xlsx", xlsx_bytes(rows))},
        follow=True,
    )
    html = response.content.decode()
    assert "1 angka resmi disimpan" in html and "3 baris judul dilewati" in html
    figures = OfficialFigure.objects.values_list("region_id", "activated")
    assert list(figures) == [("33.11.01", 1175)]


def test_a_staff_list_under_a_title_block_is_checked(admin_client, small_kabupaten):
    rows = [
        ["DAFTAR GURU SMA NEGERI 1 WERU"],
        [],
        ["No", "Nama", "NIK"],
        ["1", "Budi", WERU_NIK.format(1)],
        ["2", "Sari", NOT_ACTIVATED.format(1)],
    ]
    cache.clear()  # the check's limits count in the cache, which outlives a test
    checked = _rows(_check(admin_client, csv_bytes(rows)))
    assert checked[0] == ("No", "Nama", "NIK", "status_ikd", "tanggal_aktivasi_ikd")
    assert [row[1:4] for row in checked[1:]] == [
        ("Budi", WERU_NIK.format(1), "sudah"),
        ("Sari", NOT_ACTIVATED.format(1), "belum"),
    ]
