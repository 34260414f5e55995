"""Uploads reach the worker through Django's storage API: here an S3-compatible store (moto's
server, over HTTP on this machine) instead of a shared folder. The web app saves the browser's
file into the bucket, the real Celery worker (a process of its own, configured only by the
environment, as in production) checks and imports it from there, and the file holding raw NIKs
is gone from the bucket after the import, a refusal or a cancel; the local upload folder is
never used."""

import datetime as dt
import socket
import time

import boto3
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from kecamatan.models import Activation, Upload
from kecamatan.uploads.cleanup import uploads_expire
from tests.conftest import small_kabupaten_create
from tests.uploads.test_ingest import CANONICAL, HEADER

BUCKET = "ikd-uploads"
PREFIX = "uploads"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}  # moto takes any


@pytest.fixture
def s3_endpoint():
    """An S3-compatible server on a free port of this machine, with an empty private bucket."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def _keys(endpoint: str) -> list[str]:
    listing = _client(endpoint).list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.fixture
def s3_uploads(s3_endpoint, settings, monkeypatch, tmp_path):
    """This process and the worker started after it store uploads in the bucket: the worker
    through the environment (UPLOAD_STORAGE=s3 …, read by settings.py), this process through
    the same storage options. Both point the local folder at one that must stay unused."""
    unused = tmp_path / "no-shared-folder"
    for name, value in {
        "UPLOAD_STORAGE": "s3",
        "UPLOAD_S3_BUCKET": BUCKET,
        "UPLOAD_S3_ENDPOINT_URL": s3_endpoint,
        "UPLOAD_S3_REGION": "us-east-1",
        "UPLOAD_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "UPLOAD_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "UPLOAD_S3_PREFIX": PREFIX,
        "UPLOAD_DIR": str(unused),
    }.items():
        monkeypatch.setenv(name, value)
    settings.UPLOAD_DIR = unused
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                **KEYS,
                "location": PREFIX,
                "file_overwrite": False,
                "max_memory_size": 2 * 1024 * 1024,
            },
        },
    }
    yield s3_endpoint
    assert not unused.exists()  # nothing went through a local folder


def _wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.25)


def _post(client, content: str) -> Upload:
    file = SimpleUploadedFile("aktivasi.csv", content.encode())
    response = client.post("/unggah/", {"kind": "aktivasi", "file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return Upload.objects.latest("pk")


def _status(upload: Upload) -> str:
    return Upload.objects.get(pk=upload.pk).status


def test_an_upload_goes_through_an_s3_store_to_the_worker_and_is_deleted_after(
    s3_uploads, celery_worker, client, admin_user
):
    small_kabupaten_create()
    client.force_login(admin_user)
    before = Activation.objects.count()

    # Check → confirm → import, by the worker, from the bucket.
    upload = _post(client, CANONICAL)
    assert _keys(s3_uploads) == [f"{PREFIX}/{upload.stored_path}"]
    assert upload.size_bytes == len(CANONICAL.encode())
    _wait_for(lambda: _status(upload) == "checked", "the worker's check")
    assert Activation.objects.count() == before  # a check writes nothing
    client.post(f"/unggah/{upload.pk}/keputusan/", {"action": "import"})
    _wait_for(lambda: _status(upload) == "imported", "the worker's import")
    assert Activation.objects.count() == before + 4
    assert Upload.objects.get(pk=upload.pk).stored_path == "" and _keys(s3_uploads) == []

    # Refused by the check: its file goes at once.
    bad = _post(client, f"{HEADER}\n3311014113900777,2025-04-08,33.11.01.2001,umum,\n")
    _wait_for(lambda: _status(bad) == "rejected", "the worker's refusal")
    assert _keys(s3_uploads) == []

    # Checked, then cancelled by the admin: its file goes too.
    again = CANONICAL.replace("2025-04-0", "2025-03-0")
    cancelled = _post(client, again)
    _wait_for(lambda: _status(cancelled) == "checked", "the worker's check")
    client.post(f"/unggah/{cancelled.pk}/keputusan/", {"action": "cancel"})
    assert _status(cancelled) == "cancelled" and _keys(s3_uploads) == []


def test_the_hourly_clean_up_deletes_what_the_bucket_holds_past_its_time(
    s3_uploads, client, admin_user, django_capture_on_commit_callbacks
):
    small_kabupaten_create()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):  # the check runs here
        waiting = _post(client, CANONICAL)
    assert _status(waiting) == "checked"
    # A file no upload waits for (a crash between saving and recording, say).
    _client(s3_uploads).put_object(Bucket=BUCKET, Key=f"{PREFIX}/stray.csv", Body=b"x")
    assert uploads_expire() == 0  # both are fresh
    assert len(_keys(s3_uploads)) == 2
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        assert uploads_expire() == 1  # the preview nobody confirmed
    assert _status(waiting) == "cancelled" and _keys(s3_uploads) == []
