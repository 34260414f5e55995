"""The shipped install, run as production runs it, with one real path through it.

`make shipped` (called by .ci/run before the test suite) installs requirements.txt alone into a
new `.venv-shipped`, runs `pip check`, then this script with that virtualenv's Python. It uses the
standard library only and drives the application from outside, as the containers and a browser do:

1. `manage.py check --deploy` with production settings (DEBUG=False, secrets, proxy, Redis);
2. a new database: migrate, collectstatic, load_regions, createsuperuser (docs/operations.md);
3. gunicorn, a Celery worker and Celery beat, each with the command docker-compose.yml gives it
   (tests/project/test_shipped_stack.py holds the two to each other), and the compose health checks;
4. KTP holders imported from the command line; an Admin signs in through the proxy's headers and
   uploads an activation file on the upload page; the worker checks it; the Admin confirms; the
   worker imports and recomputes; the dashboard shows the new figure; the monthly PDF prints;
   the nightly task, sent as beat sends it, turns /health/ from 503 to 200;
5. every process stops on SIGTERM and exits 0.

Any failure exits 1 with the reason and the last lines of each process's log; the whole logs
stay in test-artifacts/shipped/.
"""

import html
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent

# The production commands, as docker-compose.yml and the Dockerfile write them ({...} filled in).
MIGRATE_COMMAND = "python manage.py migrate --noinput"  # the web container's, before gunicorn
WEB_COMMAND = [
    "gunicorn", "ikd_dashboard.wsgi", "--bind", "{bind}", "--workers", "3",
    "--timeout", "120", "--access-logfile", "-",
]  # fmt: skip
WORKER_COMMAND = ["celery", "-A", "ikd_dashboard", "worker", "--loglevel=INFO", "--concurrency=2"]
BEAT_COMMAND = [
    "celery", "-A", "ikd_dashboard", "beat", "--loglevel=INFO",
    "--schedule={beat_dir}/celerybeat-schedule",
]  # fmt: skip
WEB_HEALTHCHECK = [
    "python", "-c",
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/health/', timeout=5)",
]  # fmt: skip
WORKER_HEALTHCHECK = "celery -A ikd_dashboard inspect ping -d celery@$HOSTNAME --timeout 10"
# What beat sends every night at 01:00 WIB (CELERY_BEAT_SCHEDULE in settings).
NIGHTLY_TASK = "kecamatan.tasks.recompute_progress_task"

PUBLIC_HOST = "ikd.example.go.id"  # ALLOWED_HOSTS: the probe's 127.0.0.1 is not in it
ADMIN = "admin-ci"
HOLDERS_FILE = ROOT / "docs" / "samples" / "pemilik_ktp.csv"
ACTIVATIONS_FILE = ROOT / "docs" / "samples" / "aktivasi.csv"
REPORT_MONTH = "2025/4"  # the month of the activation file's dates
BROKER_DB, CACHE_DB = 10, 11  # Redis databases of their own: the test suite uses others
LOGS = ROOT / "test-artifacts" / "shipped"  # each process's whole log, kept after the run


class StackFailure(Exception):
    pass


def say(text: str) -> None:
    print(f"shipped: {text}", flush=True)


RUNNING: dict = {}  # name → Process: a wait ends at once when one of them has exited


def wait_for(what: str, condition, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in RUNNING.items():
            if not process.running():
                raise StackFailure(f"{what}: {name} exited {process.popen.returncode}")
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    raise StackFailure(f"{what}: not within {seconds:g} s")


# --- the environment a container gets ---------------------------------------------------------


def production_env(work: Path) -> dict[str, str]:
    database, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not database.startswith("postgres") or not broker.startswith("redis"):
        raise StackFailure("set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)")
    db = urllib.parse.urlsplit(database)
    redis = urllib.parse.urlsplit(broker)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "DATABASE_", "CACHE_", "PYTHON"))
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        NIK_HASH_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS=PUBLIC_HOST,
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=db._replace(path="/ikd_shipped").geturl(),
        DATABASE_CONN_MAX_AGE="60",
        CELERY_BROKER_URL=redis._replace(path=f"/{BROKER_DB}").geturl(),
        CACHE_URL=redis._replace(path=f"/{CACHE_DB}").geturl(),
        UPLOAD_DIR=str(work / "uploads"),
        STATIC_ROOT=str(work / "static"),
        CHROMIUM_PATH=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(16),
        HOSTNAME=socket.gethostname(),  # as in a container: the worker's node is celery@HOSTNAME
    )
    return env


def run(env, *args, what: str, timeout: float = 300) -> str:
    result = subprocess.run(
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise StackFailure(f"{what} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def fresh_services(env) -> None:
    """A new database and empty Redis databases, so nothing of an earlier run is read."""
    db = urllib.parse.urlsplit(env["DATABASE_URL"])
    server = ["-h", db.hostname or "127.0.0.1", "-p", str(db.port or 5432)]
    server += ["-U", db.username or "postgres"]
    run(env, "dropdb", *server, "--if-exists", "--force", "ikd_shipped", what="dropdb")
    run(env, "createdb", *server, "ikd_shipped", what="createdb")
    redis = urllib.parse.urlsplit(env["CELERY_BROKER_URL"])
    for number in (BROKER_DB, CACHE_DB):
        run(
            env,
            "redis-cli", "-h", redis.hostname or "127.0.0.1", "-p", str(redis.port or 6379),
            "-n", str(number), "FLUSHDB",
            what="redis-cli FLUSHDB",
        )  # fmt: skip


# --- the processes ----------------------------------------------------------------------------


class Process:
    def __init__(self, name: str, command: list[str], env, log_dir: Path):
        self.name, self.log = name, log_dir / f"{name}.log"
        self.handle = self.log.open("w")
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT
        )
        say(f"started {name}: {shlex.join(command)}")

    def running(self) -> bool:
        return self.popen.poll() is None

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
                self.handle.close()
                raise StackFailure(f"{self.name} did not stop within 60 s of SIGTERM") from None
        self.handle.close()
        return self.popen.returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def probe_ok(env, command: list[str] | str) -> bool:
    shell = isinstance(command, str)
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        shell=shell,
        capture_output=True,
        timeout=60,  # noqa: S602
    )
    return result.returncode == 0


# --- a browser behind the office's TLS proxy ---------------------------------------------------


class Browser:
    """Requests as nginx forwards them: the public host, https, the client's address. Cookies
    are kept by hand (they are Secure, and this leg is plain http, as behind the proxy)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Origin": f"https://{PUBLIC_HOST}",
            "Referer": f"https://{PUBLIC_HOST}{path}",
            "Accept-Language": "id",
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, content

    def get(self, path: str, expect: int = 200):
        response, content = self.request("GET", path)
        if response.status != expect:
            raise StackFailure(f"GET {path}: {response.status}, expected {expect}")
        return response, content

    def token(self, path: str) -> str:
        _response, content = self.get(path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if not found:
            raise StackFailure(f"GET {path}: no CSRF token in the form")
        return found.group(1).decode()

    def post(self, path: str, fields: dict, files=None, *, form_on: str = "", expect: int = 302):
        """Submits the form on the page `form_on` (default: `path` itself) to `path`."""
        fields = {"csrfmiddlewaretoken": self.token(form_on or path), **fields}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, file in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + file.read_bytes()
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        response, content = self.request(
            "POST", path, body=body, headers={"Content-Type": content_type}
        )
        if response.status != expect:
            raise StackFailure(f"POST {path}: {response.status}, expected {expect}")
        return response, content


def headline(page: bytes, testid: str) -> str:
    """The value of one headline figure (templates/dashboard/_headline.html)."""
    found = re.search(
        rf'data-testid="{testid}">.*?<span class="value"[^>]*>(.*?)</span>'.encode(), page, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1).decode())).strip() if found else ""


def upload_status(browser: Browser, pk: str) -> dict:
    _response, content = browser.get(f"/unggah/{pk}/status/")
    return json.loads(content)


def wait_for_upload(browser: Browser, pk: str, status: str) -> None:
    def reached():
        now = upload_status(browser, pk)
        if now["status"] in ("rejected", "failed") and now["status"] != status:
            _response, page = browser.get(f"/unggah/{pk}/")
            raise StackFailure(f"upload {pk} {now['status']}: {page[:3000]!r}")
        return now["status"] == status

    wait_for(f"upload {pk} {status}", reached)


# --- the path ---------------------------------------------------------------------------------


def rows_in(path: Path) -> int:
    return len([line for line in path.read_text().splitlines()[1:] if line.strip()])


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def the_path(env, processes: dict, port: int) -> None:
    web_probe = [part.format(port=port) for part in WEB_HEALTHCHECK]
    wait_for("web health check", lambda: probe_ok(env, web_probe), 60)
    say("web health check (the compose probe, plain http on 127.0.0.1): ok")
    wait_for("worker health check", lambda: probe_ok(env, WORKER_HEALTHCHECK), 90)
    say(f"worker health check ({WORKER_HEALTHCHECK}): ok")

    out = run(
        env, PYTHON, "manage.py", "import_data", "pemilik_ktp", str(HOLDERS_FILE), what="import"
    )
    say(f"KTP holders from the command line: {out.strip().splitlines()[-1]}")

    browser = Browser(port)
    response, _content = browser.request("GET", "/masuk/", headers={"X-Forwarded-Proto": "http"})
    if response.status != 301 or not response.headers["Location"].startswith("https://"):
        raise StackFailure(f"plain http to a page: {response.status}, not a redirect to https")
    response, _content = browser.post(
        "/masuk/", {"username": ADMIN, "password": env["DJANGO_SUPERUSER_PASSWORD"]}
    )
    if response.headers["Location"] != "/":
        raise StackFailure(f"sign-in: redirected to {response.headers['Location']}, not /")
    say("Admin signed in through the proxy's headers")

    response, _content = browser.post(
        "/unggah/", {"kind": "aktivasi"}, files={"file": ACTIVATIONS_FILE}
    )
    pk = re.fullmatch(r"/unggah/(\d+)/", response.headers["Location"]).group(1)
    wait_for_upload(browser, pk, "checked")
    say(f"upload {pk} ({ACTIVATIONS_FILE.name}) checked by the worker")
    browser.post(f"/unggah/{pk}/keputusan/", {"action": "import"}, form_on=f"/unggah/{pk}/")
    wait_for_upload(browser, pk, "imported")
    say(f"upload {pk} imported by the worker")

    expected = thousands(rows_in(ACTIVATIONS_FILE))
    seen = {}

    def dashboard_shows():
        _response, page = browser.get("/")
        seen["activated"] = headline(page, "activated")
        seen["page"] = page
        return seen["activated"] == expected and page

    try:
        page = wait_for(f"the dashboard showing {expected} activated", dashboard_shows)
    except StackFailure as failure:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", seen["page"].decode()))
        raise StackFailure(f"{failure}; it shows {seen['activated']!r}: {text[:1500]}") from None
    holders = re.search(rb'data-testid="holders">([^<]+)<', page).group(1).decode()
    percent = re.search(rb'data-testid="percent">([^<]+)<', page).group(1).decode()
    text = re.sub(r"<[^>]+>", " ", page.decode())
    as_of = re.search(r"Data lengkap s\.d\.\s+(\d+ \w+ \d{4})", text)
    say(
        f"dashboard: {expected} activated of {holders} KTP holders ({percent}), data complete "
        f"through {as_of.group(1) if as_of else '?'}, after the worker's recompute"
    )

    started = time.monotonic()
    response, pdf = browser.get(f"/laporan/{REPORT_MONTH}/unduh.pdf")
    if response.headers["Content-Type"] != "application/pdf" or not pdf.startswith(b"%PDF-"):
        raise StackFailure(f"report PDF: {response.headers['Content-Type']}, {pdf[:200]!r}")
    say(f"monthly report PDF: {len(pdf):,} bytes in {time.monotonic() - started:.1f} s")

    if probe_ok(env, web_probe):
        raise StackFailure("/health/ says ok with data and no nightly recompute ever run")
    run(env, "celery", "-A", "ikd_dashboard", "call", NIGHTLY_TASK, what="celery call")
    wait_for("/health/ ok after the nightly task", lambda: probe_ok(env, web_probe), 120)
    say(f"{NIGHTLY_TASK} sent as beat sends it, run by the worker: /health/ 503 → 200")

    wait_for("beat starting", lambda: "beat: Starting..." in processes["beat"].text(), 30)
    for task in ("upload_check_task", "upload_import_task", "recompute_progress_task"):
        succeeded = rf"Task kecamatan\.tasks\.{task}\[[^]]+\] succeeded"
        if not re.search(succeeded, processes["worker"].text()):
            raise StackFailure(f"the worker's log shows no {task} that succeeded")
    say("the worker ran the check, the import and the nightly task; beat is running")


def main() -> int:
    started = time.monotonic()
    processes: dict[str, Process] = RUNNING
    with tempfile.TemporaryDirectory(prefix="ikd-shipped-") as folder:
        work = Path(folder)
        (work / "beat").mkdir()
        shutil.rmtree(LOGS, ignore_errors=True)
        LOGS.mkdir(parents=True)
        try:
            env = production_env(work)
            run(env, PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
                what="manage.py check --deploy")  # fmt: skip
            say("manage.py check --deploy: no issues with production settings")
            fresh_services(env)
            run(env, *shlex.split(MIGRATE_COMMAND), what="migrate")
            run(env, PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", what="collectstatic")
            run(env, PYTHON, "manage.py", "load_regions", what="load_regions")
            run(env, PYTHON, "manage.py", "createsuperuser", "--noinput", "--username", ADMIN,
                "--email", f"{ADMIN}@{PUBLIC_HOST}", what="createsuperuser")  # fmt: skip
            say("new database migrated; static files collected; regions and an Admin created")

            port = free_port()
            commands = {
                "worker": WORKER_COMMAND,
                "beat": [part.format(beat_dir=work / "beat") for part in BEAT_COMMAND],
                "web": [part.format(bind=f"127.0.0.1:{port}") for part in WEB_COMMAND],
            }
            for name, command in commands.items():
                processes[name] = Process(name, command, env, LOGS)
            the_path(env, processes, port)

            codes = {name: processes[name].stop() for name in ("web", "worker", "beat")}
            if any(codes.values()):
                raise StackFailure(f"exit codes on SIGTERM (each should be 0): {codes}")
            took = time.monotonic() - started
            say(f"web, worker and beat stopped cleanly on SIGTERM; the stage took {took:.0f} s")
            return 0
        except (StackFailure, subprocess.TimeoutExpired) as failure:
            print(f"shipped: FAILED: {failure}", file=sys.stderr, flush=True)
            for name in ("web", "worker", "beat"):
                log = LOGS / f"{name}.log"
                if log.exists():
                    tail = "\n".join(log.read_text(errors="replace").splitlines()[-80:])
                    print(f"\n----- {name} log (last 80 lines) -----\n{tail}", file=sys.stderr)
            return 1
        finally:
            for process in processes.values():
                if process.running():
                    process.popen.kill()
                    process.popen.wait()


if __name__ == "__main__":
    sys.exit(main())
