"""Shared test fixtures: personas, a small hand-made kabupaten, a real Celery worker, a browser."""

import datetime as dt
import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection

from ikd_dashboard.chromium import CHROMIUM_ARGS
from kecamatan.models import Activation, KtpHolderCount, Region
from kecamatan.nik import nik_hash
from kecamatan.regions import region_closure_rebuild

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "kata-sandi-uji-123"
CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM calls in our fixtures are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached page (the cache, Redis in CI, outlives a test)."""
    from kecamatan.pagecache import pages_changed

    pages_changed()


def reference_data_seed() -> None:
    """Segments, targets, roles and failure reasons as the data migrations seed them."""
    for migration in ("0002_seed_segments_targets_roles", "0014_seed_petugas_and_reasons"):
        importlib.import_module(f"kecamatan.migrations.{migration}").seed(apps, None)


@pytest.fixture(autouse=True)
def reference_data(db):
    """Transactional tests flush the database afterwards, which removes migration data; putting
    it back for every test keeps each test independent of the order they run in."""
    reference_data_seed()


def _persona(username: str, role: str | None) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.go.id", password=PASSWORD)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staf(db):
    return _persona("staf", "Staf")


@pytest.fixture
def pimpinan(db):
    return _persona("pimpinan", "Pimpinan")


@pytest.fixture
def admin_user(db):
    user = _persona("admin", "Admin")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def petugas(small_kabupaten):
    """A field officer limited to Kecamatan Weru (33.11.01) of the small kabupaten."""
    from kecamatan.models import UserRegion

    user = _persona("petugas", "Petugas")
    UserRegion.objects.create(user=user, region_id="33.11.01")
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but in no role group."""
    return _persona("outsider", None)


@pytest.fixture
def staf_client(client, staf):
    client.force_login(staf)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# The hand-made kabupaten: 2 kecamatan, 3 desa. Figures in the tests are worked out from these.
SMALL_REGIONS = [
    ("33.11", "Sukoharjo", "kabupaten", None),
    ("33.11.01", "Weru", "kecamatan", "33.11"),
    ("33.11.01.2001", "Alasombo", "desa", "33.11.01"),
    ("33.11.01.2002", "Tegalsari", "desa", "33.11.01"),
    ("33.11.02", "Bulu", "kecamatan", "33.11"),
    ("33.11.02.2001", "Puron", "desa", "33.11.02"),
]
SMALL_HOLDERS = [
    # region, segment, valid from, holders
    ("33.11.01.2001", "umum", dt.date(2023, 1, 1), 1000),
    ("33.11.01.2001", "umum", dt.date(2025, 1, 1), 1200),  # the next DKB semester
    ("33.11.01.2001", "asn", dt.date(2023, 1, 1), 100),
    ("33.11.01.2002", "umum", dt.date(2023, 1, 1), 500),
    ("33.11.02.2001", "umum", dt.date(2023, 1, 1), 400),
    ("33.11.02.2001", "asn", dt.date(2023, 1, 1), 100),
]
SMALL_ACTIVATIONS = [
    # region, segment, date, how many people
    ("33.11.01.2001", "asn", dt.date(2023, 2, 1), 80),
    ("33.11.01.2001", "umum", dt.date(2024, 6, 1), 50),
    ("33.11.01.2001", "umum", dt.date(2025, 3, 20), 30),
    ("33.11.01.2002", "umum", dt.date(2025, 4, 1), 20),
    ("33.11.02.2001", "asn", dt.date(2023, 3, 1), 90),
    ("33.11.02.2001", "umum", dt.date(2024, 12, 31), 10),
    ("33.11.02.2001", "umum", dt.date(2025, 4, 10), 5),  # after 9 April 2025
]


def regions_create(rows) -> None:
    """Regions from (code, name, level, parent) rows, and their closure."""
    for code, name, level, parent in rows:
        Region.objects.create(
            code=code, name=name, level=level, depth=Region.DEPTHS[level], parent_id=parent
        )
    region_closure_rebuild()


def umum_activations_create(region: str, day: dt.date, serials) -> None:
    """One activation of the `umum` segment in `region` on `day` per serial number."""
    Activation.objects.bulk_create(
        Activation(
            nik_hash=nik_hash(f"{region[:8].replace('.', '')}010190{i:04d}"),
            activated_on=day,
            region_id=region,
            segment_id="umum",
        )
        for i in serials
    )


def small_holders_create() -> None:
    """The small kabupaten's regions and KTP holders, without any activation."""
    regions_create(SMALL_REGIONS)
    KtpHolderCount.objects.bulk_create(
        KtpHolderCount(region_id=r, segment_id=s, valid_from=d, holders=n)
        for r, s, d, n in SMALL_HOLDERS
    )


def small_kabupaten_create() -> None:
    small_holders_create()
    serial = 0
    rows = []
    for region, segment, day, count in SMALL_ACTIVATIONS:
        for _ in range(count):
            serial += 1
            nik = f"{region[:8].replace('.', '')}0101900{serial:03d}"
            rows.append(
                Activation(
                    nik_hash=nik_hash(nik), activated_on=day, region_id=region, segment_id=segment
                )
            )
    Activation.objects.bulk_create(rows)


@pytest.fixture
def small_kabupaten(db):
    small_kabupaten_create()
    return Region.objects.get(code="33.11")


# --- real services -------------------------------------------------------------------------


def _database_url() -> str:
    """A URL for the test database as pytest-django set it up, for a worker process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerQueue(str):
    """The queue name a test sends tasks to, with the worker process behind it (to kill it)."""

    def __new__(cls, name: str, *, process: subprocess.Popen, log: Path):
        queue = super().__new__(cls, name)
        queue.process, queue.log = process, log
        return queue


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real `celery worker` process on the configured Redis broker and the test database.

    Yields the queue name to send tasks to, so a stray worker elsewhere never takes them. For
    the test's length, tasks go to the broker instead of running in-process (settings_test).
    """
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("no broker configured: set CELERY_BROKER_URL to run against Redis")
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot share the in-memory SQLite test database")
    from ikd_dashboard.celery import app

    # Every task of this test, and every task the worker sends on, goes to this queue only.
    queue = f"ikd-test-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        # The worker runs as in production: tasks it sends on go to the broker, not in-process.
        "DJANGO_SETTINGS_MODULE": "ikd_dashboard.settings",
    }
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ikd_dashboard",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "--hostname",
                f"{queue}@localhost",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        default_queue = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        app.conf.task_always_eager = False
        try:
            yield WorkerQueue(queue, process=proc, log=log)
        finally:
            app.conf.task_default_queue = default_queue
            app.conf.task_always_eager = True
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """`collectstatic` as a deployment runs it: hashed names, gzip and brotli copies."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {**os.environ, "DEBUG": "False", "SECRET_KEY": "x", "NIK_HASH_KEY": "x"}
    env["STATIC_ROOT"] = str(root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def production_server(transactional_db, collected_static, tmp_path):
    """gunicorn with DEBUG off and whitenoise serving the collected static files, on the test
    database (PostgreSQL: a second process cannot see the in-memory SQLite one)."""
    if connection.vendor == "sqlite":
        pytest.skip("a server process cannot share the in-memory SQLite test database")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "False",
        "SECRET_KEY": "production-server-test-key",
        "NIK_HASH_KEY": settings.NIK_HASH_KEY,
        "STATIC_ROOT": str(collected_static),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on the loopback: no redirect to https, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
    }
    log = tmp_path / "gunicorn.log"
    proc, url = gunicorn_started(env, log, port=port)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def gunicorn_started(env: dict, log: Path, *, port: int, options=()):
    """gunicorn on 127.0.0.1:`port` with `env`, once it answers; its output goes to `log`."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ikd_dashboard.wsgi", "-b", f"127.0.0.1:{port}"]
            + list(options),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/masuk/", timeout=2)  # noqa: S310
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)


def embedded_default_env(tmp_path: Path, **settings) -> dict:
    """The environment of `make run` (SQLite in a file, no Redis, production's settings module)
    on a migrated database of its own, for processes a test starts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="ikd_dashboard.settings",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    return env


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def charts_drawn(page) -> None:
    """Scroll to every chart on the page in turn and wait until plotly.js has drawn it (charts.js
    draws a chart only when it comes near the screen), then back to the top."""
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()
        chart.locator("svg.main-svg").first.wait_for(state="attached")
    page.evaluate("window.scrollTo(0, 0)")


def csp_refusals(page) -> list[str]:
    """A list that fills with whatever the Content-Security-Policy blocks on this page."""
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def axe_serious(page) -> list:
    """The serious and critical accessibility violations axe-core finds on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pytest_sessionfinish(session, exitstatus):
    """In CI (IKD_REQUIRE_ALL_TESTS=1) a skipped test is a failure: it proves nothing."""
    if os.environ.get("IKD_REQUIRE_ALL_TESTS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"IKD_REQUIRE_ALL_TESTS=1: {len(skipped)} test(s) skipped; CI counts that as failed.",
            red=True,
        )
        session.exitstatus = 1


def province_create() -> None:
    """Jawa Tengah above the hand-made Sukoharjo, and a second, smaller kabupaten beside it."""
    Region.objects.create(code="33", name="Jawa Tengah", level="provinsi", depth=1)
    small_kabupaten_create()
    Region.objects.filter(code="33.11").update(parent_id="33")
    regions_create(
        [
            ("33.12", "Wonogiri", "kabupaten", "33"),
            ("33.12.01", "Pracimantoro", "kecamatan", "33.12"),
            ("33.12.01.2001", "Gebangharjo", "desa", "33.12.01"),
        ]
    )
    KtpHolderCount.objects.create(
        region_id="33.12.01.2001", segment_id="umum", valid_from=dt.date(2023, 1, 1), holders=1000
    )
    umum_activations_create("33.12.01.2001", dt.date(2025, 3, 25), range(1, 61))


@pytest.fixture
def province(db):
    province_create()
    return Region.objects.get(code="33")


def two_kecamatan_outlines_load(folder) -> None:
    """Square outlines for the small kabupaten's two kecamatan (BPS codes), so the map is a
    chart: what the browser tests of the map need."""
    import json

    from kecamatan.boundaries import boundaries_load

    features = []
    for i, code in enumerate(["3311010", "3311020"]):
        x = 110.8 + i * 0.05
        ring = [[x, -7.8], [x + 0.05, -7.8], [x + 0.05, -7.75], [x, -7.75], [x, -7.8]]
        features.append(
            {
                "type": "Feature",
                "properties": {"kode_bps": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path = folder / "kecamatan.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert boundaries_load(path).ok
