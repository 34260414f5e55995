"""Mixed load: 50 signed-in clients for 60 s on pages and the API while an admin uploads a file.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_pages \\
       CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python bench/bench_load.py
       [--clients 50] [--seconds 60] [--workers 4] [--rows 5000]

Loads the demo (replacing the demo tables of that database), starts gunicorn (DEBUG off) and a
Celery worker on Redis, then: 49 staff clients request dashboard pages, kecamatan and desa pages
and the JSON API back to back; one admin client uploads an activation file of --rows rows
through the upload page (check, preview, confirm, import), which ends in a recompute on the
worker while the others keep reading. Prints throughput, p50/p95 per kind of request, errors
(must be 0), and the upload's timeline.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

# This process loads the demo and recomputes in-process; the server and worker get the broker.
BROKER = os.environ.pop("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import ROOT, server_env, session_cookies, start_gunicorn  # noqa: E402 (sets up Django)
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

READS = [
    ("page", "/"),
    ("page", "/wilayah/33.11.01/"),
    ("api", "/api/v1/progress/?region=33.11"),
    ("page", "/wilayah/33.11.05/?segmen=asn"),
    ("api", "/api/v1/progress/?region=33.11.03"),
    ("page", "/wilayah/33.11.01.2001/"),
]


def reader(port, cookie, start, until, warm_until, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = start
    while time.monotonic() < until:
        kind, path = READS[i % len(READS)]
        i += 1
        began = time.monotonic()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            # A page with figures, or the API with its totals: not an empty 200.
            ok = response.status == 200 and (b'"totals"' in body or b'testid="holders"' in body)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if began >= warm_until:
            out.append((kind, (time.monotonic() - began) * 1000, ok))


def activation_csv(rows: int) -> bytes:
    desa = ["33.11.01.2001", "33.11.01.2002", "33.11.02.2001", "33.11.03.2001"]
    lines = ["nik,tanggal_aktivasi,kode_wilayah"]
    for i in range(rows):
        code = desa[i % len(desa)]
        day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30
        nik = f"{code[:8].replace('.', '')}{day:02d}{month:02d}{year:02d}{8000 + i // 10080:04d}"
        lines.append(f"{nik},2025-04-0{1 + i % 9},{code}")
    return ("\n".join(lines) + "\n").encode()


def uploader(port, cookie, rows, out, timeline, started):
    """The admin: upload page, file, preview, confirm, import — each request timed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(method, path, body=None, headers=None):
        began = time.monotonic()
        conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        out.append(("upload", (time.monotonic() - began) * 1000, response.status in (200, 302)))
        return response, text

    page, form = request("GET", "/unggah/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    cookie = f"{cookie}; csrftoken={csrf}"
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\naktivasi\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="beban.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n",
    ]
    body = "".join(parts).encode() + activation_csv(rows) + f"\r\n--{boundary}--\r\n".encode()
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Referer": f"http://127.0.0.1:{port}/unggah/",
    }
    response, _ = request("POST", "/unggah/", body, headers)
    detail = response.getheader("Location")
    pk = re.search(r"/unggah/(\d+)/", detail).group(1)
    timeline.append(("uploaded", time.monotonic() - started))

    def wait_for(states):
        while True:
            _, text = request("GET", f"/unggah/{pk}/status/")
            status = re.search(r'"status": "(\w+)"', text).group(1)
            if status in states:
                return status
            time.sleep(0.5)

    final = {"imported", "rejected", "failed", "duplicate", "cancelled"}
    checked = wait_for({"checked"} | final)
    timeline.append((f"checked: {checked}", time.monotonic() - started))
    if checked != "checked":
        return
    form = {"csrfmiddlewaretoken": token, "action": "import"}
    request(
        "POST",
        f"/unggah/{pk}/keputusan/",
        "&".join(f"{k}={v}" for k, v in form.items()),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": detail},
    )
    timeline.append((f"import: {wait_for(final)}", time.monotonic() - started))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    broker = BROKER
    if connection.vendor != "postgresql":
        sys.exit("bench_load needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from kecamatan.models import Activation, Upload

    # An earlier run's upload: its rows go, and so does its record (the same bytes again would
    # be refused as a duplicate).
    Activation.objects.filter(upload__isnull=False).delete()
    Upload.objects.all().delete()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    static_root = folder / "static"
    env = server_env(
        static_root,
        CELERY_BROKER_URL=broker,
        UPLOAD_DIR=str(folder / "uploads"),
        LOG_LEVEL="WARNING",
        # The web app sends tasks to this queue, and only this run's worker takes from it.
        CELERY_TASK_DEFAULT_QUEUE=f"bench-load-{os.getpid()}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    cookies = session_cookies(args.clients - 1)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    admin_cookie = f"sessionid={admin.cookies['sessionid'].value}; django_language=id"
    connection.close()
    server, port = start_gunicorn(args.workers, env)
    worker = [sys.executable, "-m", "celery", "-A", "ikd_dashboard", "worker"]
    worker += ["-Q", env["CELERY_TASK_DEFAULT_QUEUE"], "--concurrency", "2"]
    worker += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
    processes = [server, subprocess.Popen(worker, cwd=ROOT, env=env)]
    time.sleep(5)  # server and worker up
    samples, timeline = [], []
    try:
        warm = 3
        now = time.monotonic()
        until, warm_until = now + warm + args.seconds, now + warm
        threads = [
            threading.Thread(target=reader, args=(port, c, n, until, warm_until, samples))
            for n, c in enumerate(cookies)
        ]
        threads.append(
            threading.Thread(
                target=uploader,
                args=(port, admin_cookie, args.rows, samples, timeline, now),
            )
        )
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(timeout=30)
    by_kind, errors = defaultdict(list), defaultdict(int)
    for kind, ms, ok in samples:
        by_kind[kind].append(ms)
        errors[kind] += not ok
    total = sum(len(v) for v in by_kind.values())
    print(
        f"{args.clients} clients ({args.clients - 1} reading, 1 uploading {args.rows} rows), "
        f"{args.seconds} s, gunicorn {args.workers} workers + 1 Celery worker: "
        f"{total / args.seconds:.0f} requests/s, errors {sum(errors.values())}"
    )
    for kind in ("page", "api", "upload"):
        times = sorted(by_kind[kind])
        if times:
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"  {kind:<7} {len(times):6d} requests  p50 {statistics.median(times):7.1f} ms"
                f"  p95 {p95:7.1f} ms  max {times[-1]:7.1f} ms  errors {errors[kind]}"
            )
    for label, at in timeline:
        print(f"  upload {label:<24} at {at:5.1f} s")


if __name__ == "__main__":
    main()
