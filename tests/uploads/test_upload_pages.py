"""The upload pages: only admins, preview before import, confirm or cancel, the history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import Activation, Upload
from tests.uploads.test_ingest import CANONICAL, HEADER


@pytest.fixture
def post_file(
    admin_client,
    small_kabupaten,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.UPLOAD_DIR = tmp_path / "uploads"

    def post(content: str, kind="aktivasi", name="aktivasi.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/unggah/", {"kind": kind, "file": SimpleUploadedFile(name, content.encode())}
            )
        assert response.status_code == 302, response.content.decode()[:500]
        return Upload.objects.latest("pk")

    return post


@pytest.mark.parametrize("persona", ["staf", "pimpinan", "outsider"])
@pytest.mark.parametrize("url", ["/unggah/", "/unggah/riwayat/"])
def test_only_admins_may_upload(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/unggah/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_an_upload_is_checked_and_previewed_before_anything_is_written(post_file, admin_client):
    before = Activation.objects.count()
    upload = post_file(CANONICAL)
    assert upload.status == Upload.Status.CHECKED
    assert (upload.rows_read, upload.rows_added) == (4, 4)
    assert Activation.objects.count() == before
    html = admin_client.get(f"/unggah/{upload.pk}/").content.decode()
    assert "Pratinjau" in html and "Impor sekarang" in html and "Akan ditambahkan" in html


def test_confirming_imports_once_and_removes_the_file(
    post_file, admin_client, django_capture_on_commit_callbacks, settings
):
    before = Activation.objects.count()
    upload = post_file(CANONICAL)
    stored = upload.stored_path
    for _ in range(2):  # a double click changes nothing more
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED
    assert Activation.objects.count() == before + 4
    assert upload.stored_path == "" and not (settings.UPLOAD_DIR / stored).exists()
    assert upload.uploaded_by.username == "admin"


def test_cancelling_writes_nothing_and_removes_the_file(post_file, admin_client):
    before = Activation.objects.count()
    upload = post_file(CANONICAL)
    admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "cancel"})
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CANCELLED
    assert upload.stored_path == ""
    assert Activation.objects.count() == before


def test_a_bad_file_shows_its_error_report_with_masked_niks(post_file, admin_client):
    upload = post_file(f"{HEADER}\n3311014113900102,2025-04-08,33.11.01.2001,umum,desa\n")
    assert upload.status == Upload.Status.REJECTED
    html = admin_client.get(f"/unggah/{upload.pk}/").content.decode()
    assert "3311**********02" in html
    assert "3311014113900102" not in html
    assert "Impor sekarang" not in html


def test_the_same_bytes_again_are_recognised_and_change_nothing(
    post_file, admin_client, django_capture_on_commit_callbacks
):
    upload = post_file(CANONICAL)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    again = post_file(CANONICAL, name="lagi.csv")
    assert again.status == Upload.Status.DUPLICATE
    assert "sudah diimpor" in again.message


def test_a_file_of_another_type_is_refused_by_the_form(admin_client, db):
    response = admin_client.post(
        "/unggah/", {"kind": "aktivasi", "file": SimpleUploadedFile("data.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 200
    assert "Hanya berkas .csv, .txt atau .xlsx" in response.content.decode()


def test_the_upload_page_states_the_limits_before_a_file_is_chosen(admin_client, db, settings):
    settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_ROWS = 64 * 1024 * 1024, 500_000
    page = admin_client.get("/unggah/").content.decode()
    assert "Paling besar 64,0\xa0MB dan 500.000 baris (XLSX 80.000 baris)" in page


def test_a_file_past_the_size_limit_is_refused_by_the_form_and_nothing_is_kept(
    admin_client, db, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.UPLOAD_MAX_BYTES = len(CANONICAL) - 1
    response = admin_client.post(
        "/unggah/",
        {"kind": "aktivasi", "file": SimpleUploadedFile("aktivasi.csv", CANONICAL.encode())},
    )
    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Upload.objects.exists()
    assert not any(settings.UPLOAD_DIR.glob("**/*.*"))


def test_the_history_lists_who_when_what_and_the_outcome(post_file, admin_client):
    post_file(CANONICAL)
    post_file(f"{HEADER}\n3311014113900102,2025-04-08,33.11.01.2001,umum,desa\n", name="salah.csv")
    html = admin_client.get("/unggah/riwayat/").content.decode()
    assert "aktivasi.csv" in html and "salah.csv" in html
    assert "Ditolak" in html and "Siap diimpor" in html
    assert Upload.objects.get(file_name="salah.csv").sha256[:12] in html


def test_the_status_endpoint_reports_progress_for_the_page_to_poll(post_file, admin_client):
    upload = post_file(CANONICAL)
    body = admin_client.get(f"/unggah/{upload.pk}/status/").json()
    assert body["status"] == "checked" and body["waiting"] is False


def test_a_preview_nobody_confirms_expires_after_a_day_and_its_file_goes(post_file, settings):
    import datetime as dt
    import os

    import time_machine

    from kecamatan.uploads.cleanup import uploads_expire

    upload = post_file(CANONICAL)
    waiting_file = settings.UPLOAD_DIR / upload.stored_path
    stray = settings.UPLOAD_DIR / "stray.csv"
    stray.write_text(CANONICAL)
    day_old = (dt.datetime.now() - dt.timedelta(hours=25)).timestamp()
    os.utime(stray, (day_old, day_old))
    assert uploads_expire() == 0  # the preview is still fresh; the stray file is not
    assert waiting_file.exists() and not stray.exists()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        assert uploads_expire() == 1
        assert uploads_expire() == 0  # twice = once
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CANCELLED
    assert not waiting_file.exists()
