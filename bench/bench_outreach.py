"""Outreach pages and API, in-process: server time and queries on the Sukoharjo demo (~1.500
visits, 167 desa), and recording visits through the API one after another.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_bench python bench/bench_outreach.py
       [--repeat 20] [--posts 200]

Loads the demo into that database (it replaces the demo tables). Goal on the 2-core machine:
every page's median ≤ 150 ms, and a recorded visit (POST) ≤ 50 ms.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PATHS = [
    "/jemput-bola/",
    "/jemput-bola/hasil/",
    "/jemput-bola/tujuan/?n=0",
    "/jemput-bola/tujuan/unduh.xlsx?n=0",
    "/jemput-bola/rencana/",
    "/jemput-bola/selisih/?dari=2024-01-01",
    "/jemput-bola/kalender/?minggu=2025-04-14",
    "/jemput-bola/rekap/",
    "/jemput-bola/catat/",
    "/api/v1/outreach/yield/",
    "/api/v1/outreach/next/?n=500",
    "/api/v1/outreach/visits/?since=2025-01-01",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for path in PATHS:
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                assert client.get(path).status_code == 200, path
                times.append((time.perf_counter() - start) * 1000)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(f"{path:45} {statistics.median(times):10.1f} {p95:8.1f} {len(queries):8d}")
    petugas = Client()
    petugas.force_login(User.objects.get(username="petugas"))
    times = []
    for i in range(args.posts):
        body = {
            "client_id": str(uuid.uuid4()),
            "region": "33.11.01.2001",
            "place": "sekolah",
            "location": f"Sekolah uji {i}",
            "status": "held",
            "held_on": "2025-04-09",
            "officers": ["petugas"],
            "activated": 30,
            "failed": {"tanpa_email": 3, "tanpa_hp": 1},
        }
        start = time.perf_counter()
        response = petugas.post("/api/v1/outreach/visits/", body, content_type="application/json")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.content
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    label = "POST /api/v1/outreach/visits/ (new visit)"
    print(f"{label:45} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
