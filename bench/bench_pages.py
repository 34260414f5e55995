"""Page latency under load: 20 signed-in clients for 30 s against gunicorn and PostgreSQL.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_pages \
       CACHE_URL=redis://127.0.0.1:6379/1 python bench/bench_pages.py
       [--clients 20] [--seconds 30] [--workers 3] [--cold] [--pages / /wilayah/33.11.01/ …]

Loads the Sukoharjo demo into that database (it replaces the demo tables), collects the static
files as a deployment does, starts gunicorn with DEBUG off as docker-compose.yml runs it (3 sync
workers, persistent database connections, the cache in Redis), and has each client request the
dashboard (`/`) and a kecamatan page (`/wilayah/33.11.01/`) in turn, back to back, each on its
own keep-alive connection and session. Prints p50 / p95 / max latency and errors per page.
Pages come from the page cache while the data is unchanged; --cold makes every URL unique, so
every request renders the page from the database (the first view after a recompute, a filtered
or dated view). --pages measures other pages the same way (e.g. /jemput-bola/tujuan/ /instansi/).
Goals on the 2-core machine: p95 ≤ 80 ms from the page cache, ≤ 150 ms --cold, 0 errors.
"""

import argparse
import gzip
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")
# This process signs the sessions the server reads: both use the same key.
os.environ.setdefault("SECRET_KEY", "bench-pages-secret-key")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = ["/", "/wilayah/33.11.01/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookies(n: int) -> list[str]:
    """n separate signed-in sessions of the demo's staf user, as a browser would hold them."""
    user = User.objects.get(username="staf")
    cookies = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}; django_language=id")
    return cookies


def server_env(static_root: Path, **extra: str) -> dict:
    """The environment of a production-like server on the loopback."""
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": settings.SECRET_KEY,
        "NIK_HASH_KEY": settings.NIK_HASH_KEY,
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",  # as docker-compose.yml runs it
        "SECURE_SSL_REDIRECT": "False",  # plain http on the loopback (TLS is the proxy's job)
        "SECURE_COOKIES": "False",
        **extra,
    }


def start_gunicorn(workers: int, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "ikd_dashboard.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    sys.exit("gunicorn did not start")


def cpu_seconds(pids) -> float:
    """User + system CPU time the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server: subprocess.Popen) -> list[int]:
    """gunicorn's master and its workers."""
    pids = [server.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return pids


def database_pids() -> list[int]:
    """The PostgreSQL backends serving the benchmark's database, other than this one's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def client_loop(
    port: int, cookie: str, start_at: int, cold: bool, pages: list[str], window: dict, out
):
    """Request the pages in turn, back to back, until the window ends; record within it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = start_at
    while time.monotonic() < window["end"]:
        path = pages[i % len(pages)]
        i += 1
        url = f"{path}?c={start_at}-{i}" if cold else path
        began = time.monotonic()
        try:
            conn.request("GET", url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
            response = conn.getresponse()
            body = response.read()
            if response.getheader("Content-Encoding") == "gzip":  # pages are compressed
                body = gzip.decompress(body)
            # A region page must show its figures; any other page only has to answer.
            ok = response.status == 200 and (path not in PAGES or b'data-testid="holders"' in body)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        took = time.monotonic() - began
        if window["start"] <= began < window["end"]:
            out.append((path, took * 1000, ok))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3, help="as docker-compose.yml runs it")
    parser.add_argument("--cold", action="store_true", help="no page-cache hits")
    parser.add_argument("--pages", nargs="+", default=PAGES, help="paths requested in turn")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_pages needs PostgreSQL: set DATABASE_URL")
    from kecamatan.pagecache import cache_is_shared

    if not cache_is_shared():
        sys.exit("bench_pages needs the cache in Redis, as production: set CACHE_URL")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    # What autovacuum does within a minute of a load this size; this server runs without it,
    # and without statistics the kabupaten's trend was planned as a nested loop and a sort
    # (18 ms) instead of a hash join (6 ms).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {**os.environ, "DEBUG": "False", "SECRET_KEY": "x", "NIK_HASH_KEY": "x"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(static_root)},
        check=True,
    )
    cookies = session_cookies(args.clients)
    connection.close()  # the server's workers get the database to themselves
    server, port = start_gunicorn(args.workers, server_env(static_root))
    try:
        # Recording starts after 3 s of warm-up, once every worker holds its database
        # connection (a worker's first request loads the whole app).
        window = {"start": float("inf"), "end": float("inf")}
        samples: list[tuple[str, float, bool]] = []
        threads = [
            threading.Thread(
                target=client_loop,
                args=(port, cookie, n, args.cold, args.pages, window, samples),
            )
            for n, cookie in enumerate(cookies)
        ]
        for t in threads:
            t.start()
        time.sleep(3)
        deadline = time.monotonic() + 60
        while len(database_pids()) < args.workers and time.monotonic() < deadline:
            time.sleep(0.5)
        # CPU per request over the window: what a quiet 2-core machine can serve follows from
        # it, whatever else this machine is doing meanwhile.
        web, database = server_pids(server), database_pids()
        before = (cpu_seconds(web), cpu_seconds(database), time.process_time())
        window["start"] = time.monotonic()
        window["end"] = window["start"] + args.seconds
        for t in threads:
            t.join()
        after = (cpu_seconds(web), cpu_seconds(database), time.process_time())
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    by_page = defaultdict(list)
    errors = defaultdict(int)
    for path, ms, ok in samples:
        by_page[path].append(ms)
        errors[path] += not ok
    print(
        f"{args.clients} clients, {args.seconds} s, gunicorn {args.workers} sync workers, "
        f"{'every page rendered afresh' if args.cold else 'page cache on'}, "
        f"{len(samples) / args.seconds:.0f} requests/s in all, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    web_ms, database_ms, client_ms = (
        (b - a) * 1000 / max(len(samples), 1) for a, b in zip(before, after, strict=True)
    )
    cores = os.cpu_count()
    print(
        f"CPU per request: web {web_ms:.1f} ms, database {database_ms:.1f} ms "
        f"(clients {client_ms:.1f} ms): {cores} cores serve at most "
        f"{cores * 1000 / (web_ms + database_ms):.0f} requests/s"
    )
    for path in args.pages:
        times = sorted(by_page[path])
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{path:<22} {len(times):6d} requests  p50 {statistics.median(times):6.1f} ms  "
            f"p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  errors {errors[path]}   "
            f"goal p95 ≤ {150 if args.cold else 80} ms, 0 errors"
        )


if __name__ == "__main__":
    main()
