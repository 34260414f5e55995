"""What an upload's preview teaches: the Excel hint for a NIK that Excel wrote in scientific
notation in a CSV (masked all the same), the lines that are duplicates or date conflicts, and
how each region name was matched to a code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import Upload


@pytest.fixture
def preview(admin_client, small_kabupaten, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"

    def check(content: str) -> tuple[Upload, str]:
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                "/unggah/",
                {"kind": "aktivasi", "file": SimpleUploadedFile("a.csv", content.encode())},
            )
        upload = Upload.objects.latest("pk")
        return upload, admin_client.get(f"/unggah/{upload.pk}/").content.decode()

    return check


def test_a_nik_in_scientific_notation_in_a_csv_gets_the_excel_hint_masked(preview):
    upload, html = preview(
        "nik,tanggal_aktivasi,kode_wilayah\n3.31109E+15,2025-04-08,33.11.01.2001\n"
    )
    assert upload.status == Upload.Status.REJECTED
    [error] = upload.errors
    assert "format kolom NIK sebagai Teks lalu ekspor ulang" in error["message"]
    assert error["value"] != "3.31109E+15" and "*" in error["value"]  # still masked
    assert "3.31109E+15" not in html


def test_duplicate_and_conflicting_lines_are_listed_with_the_line_that_counts(preview):
    upload, html = preview(
        "nik,tanggal_aktivasi,kode_wilayah\n"
        "3311010101800001,2025-04-08,33.11.01.2001\n"  # line 2
        "3311010101800001,2025-04-08,33.11.01.2001\n"  # line 3: the same again
        "3311010101800002,2025-04-09,33.11.01.2001\n"  # line 4
        "3311010101800002,2025-04-07,33.11.01.2001\n"  # line 5: the same NIK, earlier
        # line 6: already recorded on 1 February 2023 (the small kabupaten's first ASN)
        "3311010101900001,2025-04-08,33.11.01.2001\n"
    )
    assert upload.status == Upload.Status.CHECKED
    rows = {row["line"]: row for row in upload.notes["rows"]}
    assert rows[3]["kind"] == "duplicate" and "baris 2" in rows[3]["message"]
    assert rows[4]["kind"] == "conflict" and "baris 5" in rows[4]["message"]
    assert "2025-04-07" in rows[4]["message"]
    assert rows[6]["kind"] == "conflict" and "2023-02-01" in rows[6]["message"]
    assert 'data-testid="upload-noted-rows"' in html


def test_the_preview_shows_how_each_region_name_was_matched(preview):
    upload, html = preview(
        "nik,tanggal_aktivasi,kecamatan,desa\n"
        "3311010101800001,2025-04-08,Kec. Weru,Alasombo\n"
        "3311020101800002,2025-04-08,Bulu,\n"
        "3311010101800003,2025-04-08,,Tegalsari\n"
    )
    assert upload.status == Upload.Status.CHECKED
    matched = {m["written"]: (m["code"], m["how"]) for m in upload.notes["regions"]}
    assert matched == {
        "Kec. Weru / Alasombo": ("33.11.01.2001", "nama desa/kelurahan di kecamatan itu"),
        "Bulu": ("33.11.02", "nama kecamatan"),
        "Tegalsari": ("33.11.01.2002", "nama desa/kelurahan, satu-satunya dengan nama itu"),
    }
    assert "Cara nama wilayah dicocokkan" in html and "Kec. Weru / Alasombo" in html
