"""Where an uploaded file waits between the browser and the worker that imports it: Django's
storage named "uploads" (settings.STORAGES), so a worker on another machine reads the file the
web app saved.

The default is the local folder settings.UPLOAD_DIR (one machine, or a folder both mount); with
UPLOAD_STORAGE=s3 it is a bucket of an S3-compatible store (django-storages; docs/operations.md).
Every open, size, delete and listing of an upload goes through here. The file holds raw NIKs:
it is deleted when its upload is imported, refused, cancelled or failed (service.py).
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages


class UploadFolderStorage(FileSystemStorage):
    """The local upload folder, settings.UPLOAD_DIR, read each time it is used (not once at
    start) so that a test, or a command, may point it elsewhere. Files are created 0600 in a
    0700 folder (FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.UPLOAD_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def upload_storage() -> Storage:
    return storages["uploads"]


def upload_store(source: File | Path, *, suffix: str = "") -> str:
    """Save a file into the upload storage under a fresh random name; returns that name."""
    name = f"{uuid.uuid4().hex}{suffix}"
    if isinstance(source, Path):
        with open(source, "rb") as f:
            return upload_storage().save(name, File(f))
    return upload_storage().save(name, source)


@contextmanager
def upload_open(name: str) -> Iterator[BinaryIO]:
    """The stored file's bytes as a seekable binary file: the file itself in the local folder;
    from an S3 store, a copy the storage downloads into an anonymous temporary file (gone when
    closed, never named on disk)."""
    with upload_storage().open(name, "rb") as stored:
        yield stored.file


def upload_delete(name: str) -> None:
    """Delete a stored upload; one already gone is fine (twice = once)."""
    upload_storage().delete(name)


def upload_exists(name: str) -> bool:
    return bool(name) and upload_storage().exists(name)


def upload_size(name: str) -> int:
    return upload_storage().size(name)


def uploads_stored() -> Iterator[tuple[str, float]]:
    """(name, modified as a Unix time) of every file in the upload storage."""
    storage = upload_storage()
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:  # the local folder is made by the first upload
        return
    for name in names:
        yield name, storage.get_modified_time(name).timestamp()
