"""Imports under stress: no NIK anywhere after an import, concurrent imports, arbitrary bytes."""

import csv
import io
import logging
import subprocess
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kecamatan.models import Activation, Upload
from kecamatan.uploads.load import import_file
from kecamatan.uploads.readers import FileFormatError, _csv_rows, table_open
from kecamatan.uploads.service import upload_create, upload_run
from tests.conftest import small_kabupaten_create
from tests.uploads.test_ingest import CANONICAL, HEADER, PEOPLE, write

RAW_NIKS = [nik for nik, *_ in PEOPLE]


def _database_dump() -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return subprocess.run(
            [
                "pg_dump",
                "--data-only",
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"],
                db["NAME"],
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return "\n".join(connection.connection.iterdump())


@pytest.mark.django_db(transaction=True)
def test_after_an_import_no_nik_is_in_the_database_the_logs_or_the_upload_folder(
    tmp_path, caplog, settings
):
    settings.DEBUG = True  # log every SQL statement too
    small_kabupaten_create()
    caplog.set_level(logging.DEBUG)
    # One good file and one refused file (its error report is stored).
    good = write(tmp_path, "good.csv", CANONICAL)
    bad = write(tmp_path, "bad.csv", f"{HEADER}\n3311014113900777,2025-04-08,33.11.01.2001,umum,\n")
    for path in (good, bad):
        upload = upload_create(kind="aktivasi", path=path, file_name=path.name)
        upload_run(upload=upload, dry_run=False)
    assert Upload.objects.filter(status="imported").count() == 1
    assert Upload.objects.get(status="rejected").errors[0]["value"] == "3311**********77"
    assert Activation.objects.count() > 4
    dump = _database_dump()
    assert "3311**********77" in dump  # the dump really holds the error report
    for nik in [*RAW_NIKS, "3311014113900777"]:
        assert nik not in dump
        assert nik not in caplog.text
    assert not good.exists() and not bad.exists()  # uploaded files are gone once imported


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_time_leave_consistent_totals(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises whole files)")
    small_kabupaten_create()
    before = Activation.objects.count()
    lines = CANONICAL.splitlines()
    files = [
        write(tmp_path, "a.csv", "\n".join(lines[:4]) + "\n"),  # people 1–3
        write(tmp_path, "b.csv", "\n".join([lines[0], *lines[2:]]) + "\n"),  # people 2–4
    ]
    reports, barrier = [], threading.Barrier(2)

    def run(path):
        try:
            barrier.wait()
            reports.append(import_file(kind="aktivasi", path=path))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r.ok for r in reports) and len(reports) == 2
    assert Activation.objects.count() == before + 4
    assert sum(r.rows_added for r in reports) == 4
    assert sum(r.rows_known for r in reports) == 2


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
        st.lists(
            st.lists(
                st.sampled_from(
                    [
                        "3311014101900101",
                        "2025-04-08",
                        "33.11.01.2001",
                        "umum",
                        "",
                        "x",
                        '"',
                        ";",
                        "-1",
                        "9 April 2025",
                        "33.11",
                        "1.234",
                    ]
                ),
                max_size=6,
            ),
            max_size=8,
        ).map(lambda rows: (HEADER + "\n" + "\n".join(",".join(r) for r in rows)).encode()),
    )
)
def test_any_bytes_give_rows_or_a_clear_refusal_never_a_crash(
    tmp_path_factory, small_kabupaten, data
):
    path = tmp_path_factory.mktemp("fuzz") / "upload.bin"
    path.write_bytes(data)
    try:
        with table_open(path) as (header, rows, _title):
            assert isinstance(header, list)
            for line, cells in rows:
                assert isinstance(line, int) and all(isinstance(c, str) for c in cells)
    except FileFormatError as exc:
        assert exc.message
    for kind in ("aktivasi", "rekap", "pemilik_ktp"):
        report = import_file(kind=kind, path=path, dry_run=True)
        assert report.ok or report.message


def _as_csv_reader_reads(text: str, delimiter: str):
    """What csv.reader makes of `text`, as the upload reader gives it: rows with a cell that is
    not blank, stripped, numbered by line; or the line where the CSV is malformed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error:
        return ("refused at line", reader.line_num)
    return rows


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet='ab,;\t"\r\n x\x00', max_size=40),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_the_fast_csv_reading_gives_what_csv_reader_gives(text, delimiter):
    # Lines without quotes are split without csv.reader (kecamatan/uploads/readers.py): the same
    # cells and line numbers, and the same refusals, whatever the quoting and line endings.
    try:
        got = list(_csv_rows(io.StringIO(text, newline=""), delimiter))
    except FileFormatError as exc:
        got = ("refused at line", exc.line)
    assert got == _as_csv_reader_reads(text, delimiter)


def test_a_field_past_csv_readers_limit_is_refused_as_csv_reader_refuses_it():
    text = "nik,tanggal\n" + "9" * (csv.field_size_limit() + 1) + ",2025-04-08\n"
    with pytest.raises(FileFormatError) as refused:
        list(_csv_rows(io.StringIO(text, newline=""), ","))
    assert refused.value.line == 2 and "CSV" in refused.value.message


def test_the_command_imports_and_exits_non_zero_with_the_report_when_refused(tmp_path, before):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", "aktivasi", str(write(tmp_path, "a.csv", CANONICAL)), stdout=out)
    assert "ditambahkan 4" in out.getvalue()
    bad = write(tmp_path, "b.csv", f"{HEADER}\n3311014113900777,2025-04-08,33.11.01.2001,umum,\n")
    # call_command raises what manage.py turns into exit status 1.
    with pytest.raises(CommandError, match="Berkas ditolak"):
        call_command("import_data", "aktivasi", str(bad), stdout=out, stderr=err)
    assert "baris 2, kolom NIK [3311**********77]" in err.getvalue()
    assert bad.exists()  # the admin's own file stays where it was


@pytest.fixture
def before(small_kabupaten):
    return Activation.objects.count()


def _activation_indexes() -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.oid, pg_get_indexdef(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'kecamatan_activation'::regclass"
        )
        return {name: (oid, definition) for name, oid, definition in cursor.fetchall()}


@pytest.mark.django_db
def test_a_first_large_file_builds_the_read_indexes_again_and_a_small_one_keeps_them(tmp_path):
    """A file adding at least as many people as are stored builds the non-unique indexes after
    its rows; they must come back exactly as the migrations made them. A smaller file must
    leave them alone: rebuilding them would lock the store for a daily file."""
    if connection.vendor != "postgresql":
        pytest.skip("index rebuilding is PostgreSQL's (SQLite keeps its indexes up row by row)")
    small_kabupaten_create()
    Activation.objects.all().delete()  # an empty store: the first file is its first people
    made = _activation_indexes()
    assert len(made) >= 3
    lines = CANONICAL.splitlines()
    first = import_file(kind="aktivasi", path=write(tmp_path, "a.csv", "\n".join(lines[:4])))
    assert first.ok and first.rows_added == 3
    rebuilt = _activation_indexes()
    assert {n: d for n, (_oid, d) in rebuilt.items()} == {n: d for n, (_oid, d) in made.items()}
    assert any(rebuilt[n][0] != made[n][0] for n in made)  # built again, not kept
    second = import_file(kind="aktivasi", path=write(tmp_path, "b.csv", f"{lines[0]}\n{lines[4]}"))
    assert second.ok and second.rows_added == 1
    assert _activation_indexes() == rebuilt
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT COUNT(*) FROM kecamatan_activation WHERE region_id = '33.11.02' "
            "AND activated_on = '2025-04-06'"
        )
        assert cursor.fetchone()[0] == 1
