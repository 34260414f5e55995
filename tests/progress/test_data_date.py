"""The data date ("data lengkap s.d."): one kecamatan's early file does not move it for the
others; the preview says when an import will move it, and by how much.

The small kabupaten (conftest.py) was loaded without an upload, up to 10 April 2025 (Bulu's 5):
both kecamatan count as reported to that day.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import Upload
from kecamatan.progress.datadate import data_complete_date, kecamatan_reported_through
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_data_date

APRIL_10 = dt.date(2025, 4, 10)


def _file(region: str, days: range) -> str:
    """One activation a day in `region`, 2025-04-DD for each DD."""
    digits = region.replace(".", "")[:6]
    lines = [
        f"{digits}0101{80 + i:02d}{i + 1:04d},2025-04-{day:02d},{region}"
        for i, day in enumerate(days)
    ]
    return "nik,tanggal_aktivasi,kode_wilayah\n" + "\n".join(lines) + "\n"


@pytest.fixture
def upload_file(
    admin_client, small_kabupaten, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"

    def upload(content: str, *, confirm: bool) -> Upload:
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                "/unggah/",
                {"kind": "aktivasi", "file": SimpleUploadedFile("a.csv", content.encode())},
            )
        found = Upload.objects.latest("pk")
        if confirm:
            with django_capture_on_commit_callbacks(execute=True):
                admin_client.post(f"/unggah/{found.pk}/keputusan/", {"action": "import"})
            found.refresh_from_db()
        return found

    return upload


def test_without_uploads_the_data_date_is_the_last_day_of_the_data(small_kabupaten):
    assert progress_data_date() == APRIL_10


def test_one_early_kecamatan_file_does_not_move_the_data_date(
    upload_file, admin_client, django_capture_on_commit_callbacks
):
    # Weru sends 12 activations dated 9 to 15 April (the case); Bulu has sent nothing.
    early = upload_file(
        _file("33.11.01.2001", [9, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15]), confirm=False
    )
    preview = admin_client.get(f"/unggah/{early.pk}/").content.decode()
    assert '"Data lengkap s.d." tetap 10 April 2025.' in preview
    assert "Berkas ini berisi data s.d. 15 April 2025 untuk Weru" in preview
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{early.pk}/keputusan/", {"action": "import"})
    early.refresh_from_db()
    assert early.status == Upload.Status.IMPORTED and early.data_through == dt.date(2025, 4, 15)
    assert kecamatan_reported_through() == {
        "33.11.01": dt.date(2025, 4, 15),
        "33.11.02": APRIL_10,
    }
    assert progress_data_date() == APRIL_10  # not 15 April: Bulu has not reported that far
    progress_recompute()
    html = admin_client.get("/").content.decode()
    assert "Data lengkap s.d. 10 April 2025" in html
    assert "Kecamatan Weru s.d. 15 April 2025" in html
    # Weru's own page names it too; its figures are of the same day as the kabupaten's.
    assert (
        "Kecamatan Weru s.d. 15 April 2025"
        in admin_client.get("/wilayah/33.11.01/").content.decode()
    )


def test_the_preview_warns_how_far_an_import_moves_the_data_date(upload_file, admin_client):
    upload_file(_file("33.11.01.2001", [11, 12, 13, 14, 15]), confirm=True)
    bulu = upload_file(_file("33.11.02.2001", [11, 12, 13, 14]), confirm=False)
    preview = admin_client.get(f"/unggah/{bulu.pk}/").content.decode()
    # Weru to 15 April, Bulu now to 14: every kecamatan has reported to 14 April, 4 days on.
    assert (
        'Impor ini menggeser "data lengkap s.d." dari 10 April 2025 ke 14 April 2025 (4 hari)'
        in preview
    )
    assert data_complete_date(extra=(bulu.data_through, bulu.touched_regions)) == dt.date(
        2025, 4, 14
    )


def test_activations_after_a_holders_only_start_show_at_their_own_date(
    admin_client, db, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A new office loads its regions and KTP holders first: with no activation yet, that run is
    dated today. The first activation file moves the data date back to its own last day, and
    the pages must show that run, not the earlier one dated today with nobody activated."""
    from tests.conftest import small_holders_create

    settings.UPLOAD_DIR = tmp_path / "uploads"
    small_holders_create()
    progress_recompute()  # what the holders import's recompute does: no data, so today
    first = admin_client.get("/").content.decode()
    assert 'data-testid="holders">2.300<' in first

    bulu = _file("33.11.02.2001", range(9, 11)).split("\n", 1)[1]  # its rows, without the header
    content = _file("33.11.01.2001", range(8, 11)) + bulu
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/unggah/", {"kind": "aktivasi", "file": SimpleUploadedFile("a.csv", content.encode())}
        )
    upload = Upload.objects.latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    assert progress_data_date() == APRIL_10

    page = admin_client.get("/").content.decode()
    assert "Data lengkap s.d. 10 April 2025" in page
    activated = page.split('data-testid="activated"')[1].split('class="value">')[1]
    assert activated.startswith("5<")  # three in Weru, two in Bulu
