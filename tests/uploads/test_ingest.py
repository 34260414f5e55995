"""Importing files: good variants import the same, bad files are refused whole, nothing doubles."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from openpyxl import Workbook

from kecamatan.models import Activation, ActivationRecap, KtpHolderCount, ProgressSnapshot
from kecamatan.nik import nik_hash, nik_problem
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_for_region
from kecamatan.uploads.load import import_file
from kecamatan.uploads.validate import parse_count, parse_date

# Four people, written as the canonical CSV. The last is booked on a kecamatan, segment and place
# left empty (→ umum, lainnya); her NIK's day of birth is 04 + 40.
PEOPLE = [
    ("3311014101900101", dt.date(2025, 4, 8), "33.11.01.2001", "umum", "desa"),
    ("3311015202950202", dt.date(2025, 4, 8), "33.11.01.2002", "pelajar", "sekolah"),
    ("3311020303800303", dt.date(2025, 4, 7), "33.11.02.2001", "asn", "instansi"),
    ("3311024404850404", dt.date(2025, 4, 6), "33.11.02", "umum", "lainnya"),
]
CANONICAL = (
    "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi\n"
    "3311014101900101,2025-04-08,33.11.01.2001,umum,desa\n"
    "3311015202950202,2025-04-08,33.11.01.2002,pelajar,sekolah\n"
    "3311020303800303,2025-04-07,33.11.02.2001,asn,instansi\n"
    "3311024404850404,2025-04-06,33.11.02,,\n"
)


def write(tmp_path, name: str, content: str | bytes, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def write_xlsx(tmp_path, rows, name="aktivasi.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def imported_people():
    return set(
        Activation.objects.values_list(
            "nik_hash", "activated_on", "region_id", "segment_id", "place"
        )
    )


def expected_people(people=PEOPLE):
    return {(nik_hash(n), d, r, s, p) for n, d, r, s, p in people}


def recomputed(region, as_of):
    """The figures after the recompute that follows every import (queued on commit)."""
    progress_recompute(as_of=as_of)
    return progress_for_region(region=region, as_of=as_of)


def tables_fingerprint():
    """Everything an import could touch, to prove a refused file changed nothing."""
    return (
        sorted(imported_people()),
        sorted(ActivationRecap.objects.values_list("day", "region_id", "segment_id", "total")),
        sorted(
            KtpHolderCount.objects.values_list("region_id", "segment_id", "valid_from", "holders")
        ),
        ProgressSnapshot.objects.count(),
    )


@pytest.fixture
def before(small_kabupaten):
    """The hand-made kabupaten's activations, which every import here comes on top of."""
    return imported_people()


# --- good variants ------------------------------------------------------------------------------

GOOD_VARIANTS = {
    "canonical.csv": CANONICAL,
    "bom.csv": "\ufeff" + CANONICAL,
    "semicolon.csv": CANONICAL.replace(",", ";"),
    "tab.csv": CANONICAL.replace(",", "\t"),
    "crlf.csv": CANONICAL.replace("\n", "\r\n"),
    "indonesian-headers.csv": CANONICAL.replace(
        "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi",
        "NIK , TGL AKTIVASI,KODE WILAYAH,Segmen,Lokasi",
    ),
    "dates.csv": CANONICAL.replace("2025-04-08", "08/04/2025")
    .replace("2025-04-07", "07-04-2025")
    .replace("2025-04-06", "6 April 2025"),
    "codes-without-dots.csv": CANONICAL.replace("33.11.01.2001", "3311012001"),
    "segment-and-place-names.csv": CANONICAL.replace(
        ",pelajar,sekolah", ",Pelajar 17+,Sekolah"
    ).replace(",asn,instansi", ",ASN,Instansi pemerintah"),
    "names-instead-of-codes.csv": (
        "NIK;TGL AKTIVASI;KECAMATAN;DESA/KELURAHAN;SEGMEN;LOKASI\n"
        "3311014101900101;08/04/2025;Weru;Alasombo;umum;desa\n"
        "3311015202950202;08/04/2025;WERU;Desa Tegalsari;pelajar;sekolah\n"
        "3311020303800303;07/04/2025;Bulu;Puron;asn;instansi\n"
        "3311024404850404;06/04/2025;Kecamatan Bulu;;;\n"
    ),
}


@pytest.mark.parametrize("name", GOOD_VARIANTS)
def test_every_good_variant_imports_the_same_people(tmp_path, before, name):
    report = import_file(kind="aktivasi", path=write(tmp_path, name, GOOD_VARIANTS[name]))
    assert report.ok, report.errors
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (4, 4, 0)
    assert imported_people() == before | expected_people()


def test_windows_1252_files_with_accented_text_import(tmp_path, before):
    lines = CANONICAL.splitlines()
    content = "\r\n".join(
        [lines[0] + ",keterangan"] + [line + ",Jemput bola di Café Pasar" for line in lines[1:]]
    )
    path = write(tmp_path, "cp1252.csv", content + "\r\n", encoding="cp1252")
    assert "é".encode("cp1252") in path.read_bytes()
    report = import_file(kind="aktivasi", path=path)
    assert report.ok, report.errors
    assert imported_people() == before | expected_people()


def test_xlsx_imports_the_same_people_with_dates_as_excel_dates(tmp_path, before):
    rows = [["NIK", "Tanggal Aktivasi", "Kode Wilayah", "Segmen", "Lokasi"]]
    for nik, day, region, segment, place in PEOPLE:
        rows.append([nik, dt.datetime.combine(day, dt.time()), region, segment, place])
    report = import_file(kind="aktivasi", path=write_xlsx(tmp_path, rows))
    assert report.ok, report.errors
    assert imported_people() == before | expected_people()


# --- bad files ----------------------------------------------------------------------------------

ROW = "3311014101900101,2025-04-08,33.11.01.2001,umum,desa"
HEADER = "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi"
BAD_AKTIVASI = {
    "NIK too short": (
        f"{HEADER}\n331101410190010,2025-04-08,33.11.01.2001,umum,desa\n",
        "NIK harus 16 digit",
    ),
    "NIK birth date": (
        f"{HEADER}\n3311014113900101,2025-04-08,33.11.01.2001,umum,desa\n",
        "bukan tanggal lahir",
    ),
    "NIK region part": (
        f"{HEADER}\n3300004101900101,2025-04-08,33.11.01.2001,umum,desa\n",
        "bukan kode wilayah",
    ),
    "unknown region": (
        f"{HEADER}\n3311014101900101,2025-04-08,33.11.09.2001,umum,desa\n",
        "Kode wilayah 33.11.09.2001 tidak dikenal",
    ),
    "region at the wrong level": (
        f"{HEADER}\n3311014101900101,2025-04-08,33.11,umum,desa\n",
        "adalah kabupaten",
    ),
    "future date": (
        f"{HEADER}\n3311014101900101,2099-04-08,33.11.01.2001,umum,desa\n",
        "masa depan",
    ),
    "date before IKD": (
        f"{HEADER}\n3311014101900101,2021-12-31,33.11.01.2001,umum,desa\n",
        "sebelum IKD",
    ),
    "impossible date": (
        f"{HEADER}\n3311014101900101,2025-02-30,33.11.01.2001,umum,desa\n",
        "Bukan tanggal yang valid",
    ),
    "unknown segment": (
        f"{HEADER}\n3311014101900101,2025-04-08,33.11.01.2001,petani,desa\n",
        "Segmen tidak dikenal",
    ),
    "unknown place": (
        f"{HEADER}\n3311014101900101,2025-04-08,33.11.01.2001,umum,mall\n",
        "Lokasi tidak dikenal",
    ),
    "missing column": (
        "nik,kode_wilayah\n3311014101900101,33.11.01.2001\n",
        "Kolom wajib tidak ada: tanggal",
    ),
    "empty file": ("", "Berkas kosong"),
    "blank lines only": ("\n\n  \n", "Berkas kosong"),
    "header only": (f"{HEADER}\n", "hanya berisi baris judul"),
    "mixed delimiters": (f"{HEADER.replace(',', ';')}\n{ROW}\n", "kolom"),
    "truncated last line": (
        f"{HEADER}\n{ROW}\n3311015202950202,2025-04-08\n",
        "punya 2 kolom, padahal baris judul punya 5",
    ),
    "unterminated quote": (
        f'{HEADER}\n{ROW}\n"3311015202950202,2025-04-08,33.11.01.2002,umum,desa\n',
        "tidak dapat dibaca sebagai CSV",
    ),
    "a recap file given as aktivasi": (
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01,umum,5\n",
        "berkas rekap",
    ),
    "binary garbage": (bytes(range(256)) * 20, "data biner"),
    "old Excel file": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "Excel lama"),
    "broken XLSX": (b"PK\x03\x04" + b"not really a zip" * 50, "XLSX rusak"),
}


@pytest.mark.parametrize("case", BAD_AKTIVASI)
def test_a_bad_aktivasi_file_is_refused_whole_with_its_reason(tmp_path, before, case):
    content, expected = BAD_AKTIVASI[case]
    if isinstance(content, str) and content.startswith(HEADER + "\n") and content.count("\n") > 1:
        # A good row first: it must not be kept either.
        good = "3311031212900999,2025-04-01,33.11.02.2001,umum,desa"
        content = content.replace(HEADER + "\n", f"{HEADER}\n{good}\n", 1)
    fingerprint = tables_fingerprint()
    report = import_file(kind="aktivasi", path=write(tmp_path, "bad.csv", content))
    assert not report.ok
    text = report.message + " ".join(e.message for e in report.errors)
    assert expected in text, text
    assert tables_fingerprint() == fingerprint


def test_a_file_past_the_row_limit_is_refused_whole_and_one_at_the_limit_imports(
    tmp_path, before, settings
):
    settings.UPLOAD_MAX_ROWS = len(PEOPLE)
    fingerprint = tables_fingerprint()
    one_more = CANONICAL + "3311031212900999,2025-04-01,33.11.02.2001,umum,desa\n"
    report = import_file(kind="aktivasi", path=write(tmp_path, "over.csv", one_more))
    assert not report.ok
    assert "lebih dari 4 baris data" in report.message
    assert tables_fingerprint() == fingerprint
    report = import_file(kind="aktivasi", path=write(tmp_path, "at.csv", CANONICAL))
    assert report.ok, report.message
    assert report.rows_added == len(PEOPLE)


BAD_COUNTS = {
    "negative count": (
        "rekap",
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01,umum,-5\n",
        "bilangan bulat tidak negatif",
    ),
    "text in a count": (
        "rekap",
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01,umum,banyak\n",
        "bilangan bulat tidak negatif",
    ),
    "decimal count": (
        "pemilik_ktp",
        "kode_wilayah,segmen,jumlah,per_tanggal\n33.11.01.2001,umum,12,5,2025-01-01\n",
        "kolom",
    ),
    "recap on a desa": (
        "rekap",
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01.2001,umum,5\n",
        "memerlukan kecamatan",
    ),
    "recap without segment": (
        "rekap",
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01,,5\n",
        "Segmen tidak dikenal",
    ),
    "holders at two levels": (
        "pemilik_ktp",
        "kode_wilayah,segmen,jumlah,per_tanggal\n33.11.01,asn,50,2025-01-01\n",
        "tingkat wilayah lain",
    ),
    "a NIK list given as rekap": ("rekap", f"{HEADER}\n{ROW}\n", "berkas aktivasi"),
    "holders given as rekap": (
        "rekap",
        "kode_wilayah,segmen,jumlah,per_tanggal\n33.11.01,umum,5,2025-01-01\n",
        "berkas pemilik_ktp",
    ),
    "same key twice with two counts": (
        "rekap",
        "tanggal,kode_wilayah,segmen,jumlah\n2025-04-08,33.11.01,umum,5\n2025-04-08,33.11.01,umum,6\n",
        "sudah memberi jumlah 5",
    ),
}


@pytest.mark.parametrize("case", BAD_COUNTS)
def test_a_bad_rekap_or_holder_file_is_refused_whole(tmp_path, before, case):
    kind, content, expected = BAD_COUNTS[case]
    fingerprint = tables_fingerprint()
    report = import_file(kind=kind, path=write(tmp_path, "bad.csv", content))
    assert not report.ok
    text = report.message + " ".join(e.message for e in report.errors)
    assert expected in text, text
    assert tables_fingerprint() == fingerprint


def test_the_error_report_names_row_column_and_masked_value(tmp_path, before):
    content = f"{HEADER}\n{ROW}\n3311014113900102,2025-04-08,33.11.01.2001,umum,desa\n"
    report = import_file(kind="aktivasi", path=write(tmp_path, "bad.csv", content))
    [error] = report.errors
    assert (error.line, error.column, error.value) == (3, "NIK", "3311**********02")
    assert "3311014113900102" not in str(report)
    assert report.rows_rejected == 1
    assert "Tidak ada data yang disimpan" in report.message


def test_a_nik_stored_as_an_excel_number_is_refused_with_how_to_fix_it(tmp_path, before):
    rows = [
        ["NIK", "Tanggal Aktivasi", "Kode Wilayah"],
        [3311014101900101, "2025-04-08", "33.11.01.2001"],
    ]
    report = import_file(kind="aktivasi", path=write_xlsx(tmp_path, rows))
    assert not report.ok
    assert "format kolom NIK sebagai Teks" in report.errors[0].message


def test_every_error_is_counted_even_beyond_those_listed(tmp_path, before):
    bad_rows = "".join(
        f"33110141019{i:05d},2099-01-01,33.11.01.2001,umum,desa\n" for i in range(1, 301)
    )
    report = import_file(kind="aktivasi", path=write(tmp_path, "bad.csv", f"{HEADER}\n{bad_rows}"))
    assert report.rows_rejected == 300
    assert report.error_count == 300
    assert len(report.errors) == 200


# --- no double counting -------------------------------------------------------------------------


def test_reimporting_the_same_people_adds_nobody(tmp_path, before):
    import_file(kind="aktivasi", path=write(tmp_path, "a.csv", CANONICAL))
    report = import_file(kind="aktivasi", path=write(tmp_path, "b.csv", GOOD_VARIANTS["crlf.csv"]))
    assert report.ok
    assert (report.rows_added, report.rows_known, report.rows_replaced) == (0, 4, 0)
    assert imported_people() == before | expected_people()


def test_overlapping_exports_count_each_person_once(tmp_path, before):
    lines = CANONICAL.splitlines()
    first = "\n".join(lines[:4]) + "\n"  # people 1–3
    second = "\n".join([lines[0], *lines[2:]]) + "\n"  # people 2–4
    assert import_file(kind="aktivasi", path=write(tmp_path, "a.csv", first)).rows_added == 3
    report = import_file(kind="aktivasi", path=write(tmp_path, "b.csv", second))
    assert (report.rows_added, report.rows_known) == (1, 2)
    assert Activation.objects.count() == len(before) + 4


def test_the_same_nik_twice_in_a_file_counts_once_at_its_earliest_date(tmp_path, before):
    content = CANONICAL + "3311014101900101,2025-04-02,33.11.01.2001,umum,pasar\n"
    report = import_file(kind="aktivasi", path=write(tmp_path, "a.csv", content))
    assert report.ok
    assert (report.rows_read, report.rows_added, report.duplicates_in_file) == (5, 4, 1)
    assert report.date_conflicts == 1
    person = Activation.objects.get(nik_hash=nik_hash("3311014101900101"))
    assert (person.activated_on, person.place) == (dt.date(2025, 4, 2), "pasar")


def test_a_known_nik_with_an_earlier_date_moves_to_that_date(tmp_path, before):
    import_file(kind="aktivasi", path=write(tmp_path, "a.csv", CANONICAL))
    earlier = f"{HEADER}\n3311014101900101,2025-03-01,33.11.01.2001,umum,dinas\n"
    report = import_file(kind="aktivasi", path=write(tmp_path, "b.csv", earlier))
    assert (report.rows_added, report.rows_known, report.rows_replaced) == (0, 1, 1)
    assert report.date_conflicts == 1
    assert Activation.objects.get(nik_hash=nik_hash("3311014101900101")).activated_on == dt.date(
        2025, 3, 1
    )


def test_a_known_nik_with_a_later_date_keeps_the_earlier_one(tmp_path, before):
    import_file(kind="aktivasi", path=write(tmp_path, "a.csv", CANONICAL))
    later = f"{HEADER}\n3311014101900101,2025-04-09,33.11.01.2001,umum,dinas\n"
    report = import_file(kind="aktivasi", path=write(tmp_path, "b.csv", later))
    assert (report.rows_added, report.rows_known, report.rows_replaced) == (0, 1, 0)
    assert report.date_conflicts == 1
    assert Activation.objects.get(nik_hash=nik_hash("3311014101900101")).activated_on == dt.date(
        2025, 4, 8
    )


REKAP_HEADER = "tanggal,kode_wilayah,segmen,jumlah\n"


def test_a_recap_replaces_the_earlier_total_for_the_same_day_kecamatan_and_segment(
    tmp_path, before
):
    first = import_file(
        kind="rekap",
        path=write(tmp_path, "a.csv", REKAP_HEADER + "2025-04-08,33.11.01,umum,1.234\n"),
    )
    assert (first.rows_added, first.rows_replaced) == (1, 0)
    second = import_file(
        kind="rekap",
        path=write(
            tmp_path,
            "b.csv",
            REKAP_HEADER + "08/04/2025,Weru,Masyarakat umum,1.300\n2025-04-08,33.11.02,umum,7\n",
        ),
    )
    assert (second.rows_added, second.rows_replaced, second.rows_known) == (1, 1, 0)
    assert ActivationRecap.objects.get(region_id="33.11.01").total == 1300


def test_a_recap_and_named_activations_for_the_same_day_never_count_anyone_twice(
    tmp_path, before, small_kabupaten
):
    # Two people named in Weru on 8 April (umum): one in desa 2001, one booked on the kecamatan.
    named = (
        f"{HEADER}\n3311014101900101,2025-04-08,33.11.01.2001,umum,desa\n"
        "3311014101900102,2025-04-08,33.11.01,umum,desa\n"
    )
    import_file(kind="aktivasi", path=write(tmp_path, "named.csv", named))
    as_of = dt.date(2025, 4, 9)
    base = 280  # the hand-made kabupaten on 9 April 2025 (tests/progress/test_progress.py)
    assert recomputed(small_kabupaten, as_of).totals["activated"] == base + 2
    # The recap says 5 activated that day: the 2 named are among them, 3 more are unnamed.
    import_file(
        kind="rekap", path=write(tmp_path, "r.csv", REKAP_HEADER + "2025-04-08,33.11.01,umum,5\n")
    )
    assert recomputed(small_kabupaten, as_of).totals["activated"] == base + 5
    # A recap smaller than the names adds nobody: the names stand.
    import_file(
        kind="rekap", path=write(tmp_path, "r2.csv", REKAP_HEADER + "2025-04-08,33.11.01,umum,1\n")
    )
    assert recomputed(small_kabupaten, as_of).totals["activated"] == base + 2
    # A recap for another segment or day stands on its own.
    import_file(
        kind="rekap", path=write(tmp_path, "r3.csv", REKAP_HEADER + "2025-04-08,33.11.01,asn,4\n")
    )
    progress = recomputed(small_kabupaten, as_of)
    assert progress.totals["activated"] == base + 2 + 4
    weru = next(c for c in progress.children if c["code"] == "33.11.01")
    assert weru["activated"] == 180 + 2 + 4


def test_holder_counts_replace_the_same_region_segment_and_date(tmp_path, before, small_kabupaten):
    content = (
        "kode_wilayah,segmen,jumlah,per_tanggal\n"
        "33.11.01.2001,umum,1.300,2025-01-01\n"  # was 1.200
        "33.11.01.2002,umum,500,1 Januari 2023\n"  # unchanged
        "33.11.02.2001,umum,450,2025-07-01\n"
    )  # a new semester
    report = import_file(kind="pemilik_ktp", path=write(tmp_path, "h.csv", content))
    assert report.ok, report.errors
    assert (report.rows_added, report.rows_replaced, report.rows_known) == (1, 1, 1)
    totals = recomputed(small_kabupaten, dt.date(2025, 4, 9)).totals
    assert totals["holders"] == 2300 + 100


def test_a_dry_run_reports_the_same_numbers_and_writes_nothing(tmp_path, before):
    fingerprint = tables_fingerprint()
    report = import_file(kind="aktivasi", path=write(tmp_path, "a.csv", CANONICAL), dry_run=True)
    assert report.ok and report.rows_added == 4
    assert tables_fingerprint() == fingerprint


def test_a_check_counts_what_the_import_then_does_though_it_writes_nothing(tmp_path, before):
    # A check stops before writing; its counts must still be the import's, on a store that
    # already knows some of the file's people (earlier, later, the same day).
    assert import_file(kind="aktivasi", path=write(tmp_path, "a.csv", CANONICAL)).ok
    second = write(
        tmp_path,
        "b.csv",
        "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi\n"
        "3311014101900101,2025-04-01,33.11.01.2001,umum,desa\n"  # known, earlier: moved
        "3311015202950202,2025-04-09,33.11.01.2002,pelajar,sekolah\n"  # known, later: kept
        "3311020303800303,2025-04-07,33.11.02.2001,asn,instansi\n"  # known, same day
        "3311025505900505,2025-04-09,33.11.02.2001,umum,pasar\n"  # new
        "3311025505900505,2025-04-08,33.11.02.2001,umum,pasar\n",  # new, twice in the file
    )
    fingerprint = tables_fingerprint()
    checked = import_file(kind="aktivasi", path=second, dry_run=True)
    assert tables_fingerprint() == fingerprint
    imported = import_file(kind="aktivasi", path=second)
    counted = (
        "rows_read",
        "rows_added",
        "rows_known",
        "rows_replaced",
        "date_conflicts",
        "duplicates_in_file",
        "touched_regions",
    )
    assert [getattr(checked, c) for c in counted] == [getattr(imported, c) for c in counted]
    assert (imported.rows_added, imported.rows_known, imported.rows_replaced) == (1, 3, 1)
    assert tables_fingerprint() != fingerprint


# --- small parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-04-09", dt.date(2025, 4, 9)),
        ("09/04/2025", dt.date(2025, 4, 9)),
        ("9-4-2025", dt.date(2025, 4, 9)),
        ("9 April 2025", dt.date(2025, 4, 9)),
        ("9 Agustus 2024", dt.date(2024, 8, 9)),
        ("31 Des 2024", dt.date(2024, 12, 31)),
        ("2025-04-09 00:00:00", dt.date(2025, 4, 9)),
        ("31/02/2025", None),
        ("April 9", None),
        ("", None),
    ],
)
def test_dates_are_read_as_indonesian_offices_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("0", 0),
        ("-5", None),
        ("12,5", None),
        ("1.23", None),
        ("banyak", None),
        ("", None),
    ],
)
def test_counts_accept_thousands_dots_and_nothing_else(text, expected):
    assert parse_count(text) == expected


def test_nik_structure_rules():
    assert nik_problem("3311014101900101") is None
    assert nik_problem("3311017101900101") is None  # a woman born on the 31st
    assert nik_problem("3311017201900101") is not None  # day 32 after taking 40 off
    assert nik_problem("3311012902000101") is None  # 29 February
    assert nik_problem("3311014101900000") is not None  # serial 0000
    assert nik_problem("33110141019001a1") is not None


@pytest.mark.django_db
def test_the_uploaded_file_hash_is_the_files_sha256(tmp_path):
    from kecamatan.uploads.service import upload_create

    path = write(tmp_path, "a.csv", CANONICAL)
    upload = upload_create(kind="aktivasi", path=path, file_name="a.csv", owns_file=False)
    assert upload.sha256 == hashlib.sha256(CANONICAL.encode()).hexdigest()
    assert connection.vendor in ("sqlite", "postgresql")
