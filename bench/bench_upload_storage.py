"""What the upload storage costs: one upload-sized CSV saved, hashed, read through the table
reader as a check does, and deleted, in the local folder and in an S3-compatible store (moto's
server over HTTP on this machine, a stand-in for MinIO or S3 on the office network).

Usage: python bench/bench_upload_storage.py [--rows 1000000]

Needs no database. The S3 figures are a floor for a real store: moto keeps objects in memory,
and loopback has no network between the machines.
"""

import argparse
import hashlib
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")

import django  # noqa: E402

django.setup()

import boto3  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from kecamatan.uploads.readers import table_open  # noqa: E402
from kecamatan.uploads.storage import upload_delete, upload_open, upload_store  # noqa: E402


def use(backend: dict):
    return override_settings(STORAGES={**settings.STORAGES, "uploads": backend})


def measure(label: str, path: Path) -> None:
    timings = {}
    started = time.perf_counter()
    name = upload_store(path, suffix=".csv")
    timings["save"] = time.perf_counter() - started
    started = time.perf_counter()
    with upload_open(name) as f:
        digest = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    timings["hash"] = time.perf_counter() - started
    started = time.perf_counter()
    with upload_open(name) as f, table_open(f) as (_header, rows, _title):
        count = sum(1 for _ in rows)
    timings["read rows"] = time.perf_counter() - started
    started = time.perf_counter()
    upload_delete(name)
    timings["delete"] = time.perf_counter() - started
    print(
        f"{label:8} "
        + "  ".join(f"{k} {v:6.2f} s" for k, v in timings.items())
        + f"   ({count:,} rows)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings.UPLOAD_DIR = Path(folder) / "uploads"
        source = Path(folder) / "aktivasi.csv"
        with open(source, "w") as out:
            out.write("nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi\n")
            for i in range(args.rows):
                out.write(f"{3311010101900000 + i},2025-04-08,33.11.01.2001,umum,desa\n")
        size = source.stat().st_size / 1e6
        print(f"file: {args.rows:,} rows, {size:.0f} MB")

        with use({"BACKEND": "kecamatan.uploads.storage.UploadFolderStorage"}):
            measure("local", source)

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            endpoint = f"http://127.0.0.1:{port}"
            keys = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
            boto3.client(
                "s3", endpoint_url=endpoint, region_name="us-east-1", **keys
            ).create_bucket(Bucket="bench")
            with use(
                {
                    "BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {
                        "bucket_name": "bench",
                        "endpoint_url": endpoint,
                        "region_name": "us-east-1",
                        "access_key": "bench",
                        "secret_key": "bench",
                        "location": "uploads",
                        "file_overwrite": False,
                        "max_memory_size": 2 * 1024 * 1024,
                    },
                }
            ):
                measure("s3", source)
        finally:
            server.stop()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
