"""The peers' table as an upload kind (`peringkat`): checked whole, names matched to the 514
kabupaten/kota, a percentage that disagrees refused, a second file for a date replacing it."""

import datetime as dt

import pytest
from django.core.management import call_command

from kecamatan.models import PeerFigure
from kecamatan.uploads.load import import_file

HEADER = "kode_wilayah;tanggal;aktivasi;penyebut;persen\n"


def _import(tmp_path, text: str, **options):
    path = tmp_path / "peringkat.csv"
    path.write_text(text, encoding="utf-8")
    return import_file(kind="peringkat", path=path, **options)


def _saved(day=dt.date(2025, 3, 31)):
    figures = PeerFigure.objects.filter(as_of=day)
    return sorted(figures.values_list("scope", "code", "activated", "denominator"))


def test_a_province_table_is_saved_with_names_matched_to_codes(tmp_path, small_kabupaten):
    report = _import(
        tmp_path,
        "NO;KABUPATEN/KOTA;TANGGAL;AKTIVASI;WAJIB KTP;PERSEN\n"
        "1;Kab. Sukoharjo;31/03/2025;33.600;680.000;4,94\n"
        "2;Klaten;31/03/2025;80.000;1.563.217;5,12%\n"
        "3;Kota Semarang;31/03/2025;12.441;212.092;5,87\n",
    )
    assert report.ok, report.errors
    assert _saved() == [
        ("province", "33.10", 80_000, 1_563_217),
        ("province", "33.11", 33_600, 680_000),
        ("province", "33.74", 12_441, 212_092),
    ]
    assert report.regions_matched["Klaten"][0] == "33.10"
    assert "Tabel Provinsi Jawa Tengah: 3 kabupaten/kota, per 31 Maret 2025." in report.message


def test_a_row_whose_percent_disagrees_is_refused_with_both_figures(tmp_path, small_kabupaten):
    report = _import(
        tmp_path,
        HEADER + "33.11;31/03/2025;500;10.000;5\n33.10;31/03/2025;500;10.000;4,9\n",
    )
    assert not report.ok and _saved() == []  # the good row is not kept either
    (error,) = report.errors
    assert error.line == 3 and error.column == "persen"
    assert error.message == (
        "Persen di berkas 4,90% tidak sesuai dengan aktivasi ÷ penyebut (500 ÷ 10.000 = 5,00%)."
    )


def test_rounded_or_cut_percentages_are_accepted(tmp_path, small_kabupaten):
    # 496 of 10.000 is 4,96%: written 5,0 (rounded) or 4,9 (cut) is the same figure.
    report = _import(
        tmp_path, HEADER + "33.11;31/03/2025;496;10.000;5,0\n33.10;31/03/2025;496;10.000;4,9\n"
    )
    assert report.ok, report.errors


@pytest.mark.parametrize(
    "row, column, message",
    [
        ("Semarang;31/03/2025;1;10;", "kode_wilayah", "Nama Semarang ada lebih dari satu"),
        ("99.99;31/03/2025;1;10;", "kode_wilayah", "Kode 99.99 tidak ada di daftar 514"),
        ("33.11;31/03/2025;11;10;", "aktivasi", "lebih besar dari penyebut"),
        ("33.11;31/03/2025;0;0;", "penyebut", "Penyebut 0"),
        ("33.11;31/03/2099;1;10;", "tanggal", "Tanggal di masa depan"),
    ],
)
def test_bad_rows_are_named(tmp_path, small_kabupaten, row, column, message):
    report = _import(tmp_path, HEADER + row + "\n")
    assert not report.ok
    assert [(e.column, message in e.message) for e in report.errors] == [(column, True)]


def test_a_second_file_for_the_same_date_replaces_that_date(tmp_path, small_kabupaten):
    _import(tmp_path, HEADER + "33.11;15/03/2025;40;100;\n")
    first = _import(
        tmp_path,
        HEADER + "33.11;31/03/2025;50;100;\n33.10;31/03/2025;60;100;\n33.12;31/03/2025;70;100;\n",
    )
    assert (first.rows_added, first.rows_replaced) == (3, 0)
    second = _import(tmp_path, HEADER + "33.11;31/03/2025;55;100;\n33.10;31/03/2025;60;100;\n")
    assert (second.rows_added, second.rows_known, second.rows_replaced) == (0, 1, 1)
    assert _saved() == [("province", "33.10", 60, 100), ("province", "33.11", 55, 100)]
    assert _saved(dt.date(2025, 3, 15)) == [("province", "33.11", 40, 100)]  # untouched


def test_a_table_of_several_provinces_is_the_national_one(tmp_path, small_kabupaten):
    assert _import(tmp_path, HEADER + "33.11;31/03/2025;5;100;\n35.07;31/03/2025;9;100;\n").ok
    assert [s for s, *_ in _saved()] == ["national", "national"]


def test_an_admin_limited_to_a_kecamatan_cannot_send_one(tmp_path, small_kabupaten):
    report = _import(tmp_path, HEADER + "33.11;31/03/2025;5;100;\n", within="33.11.01")
    assert not report.ok and "Admin kabupaten" in report.message
    assert PeerFigure.objects.count() == 0


def test_from_the_command_line(tmp_path, small_kabupaten, capsys):
    path = tmp_path / "jateng.csv"
    path.write_text(HEADER + "33.11;31/03/2025;5;100;5\n", encoding="utf-8")
    call_command("import_data", "peringkat", str(path))
    assert "Tabel Provinsi Jawa Tengah: 1 kabupaten/kota" in capsys.readouterr().out
    assert _saved() == [("province", "33.11", 5, 100)]


def test_the_documented_sample_imports(small_kabupaten):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "peringkat.csv"
    report = import_file(kind="peringkat", path=sample)
    assert report.ok, report.errors
    assert report.rows_added == 35 and PeerFigure.objects.filter(scope="province").count() == 35


def test_through_the_upload_page_with_its_preview(
    admin_client, small_kabupaten, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kecamatan.models import Upload

    settings.UPLOAD_DIR = tmp_path / "uploads"
    content = (HEADER + "Kab. Sukoharjo;31/03/2025;5;100;5\n33.10;31/03/2025;6;100;\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/unggah/", {"kind": "peringkat", "file": SimpleUploadedFile("jateng.csv", content)}
        )
    upload = Upload.objects.latest("pk")
    html = admin_client.get(f"/unggah/{upload.pk}/").content.decode()
    assert upload.status == Upload.Status.CHECKED and PeerFigure.objects.count() == 0
    assert "Tabel Provinsi Jawa Tengah: 2 kabupaten/kota, per 31 Maret 2025." in html
    assert "Kab. Sukoharjo" in html  # how the name was matched
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    assert _saved() == [("province", "33.10", 6, 100), ("province", "33.11", 5, 100)]
    assert "5,00%, peringkat 2/2." in admin_client.get("/peringkat/").content.decode()
