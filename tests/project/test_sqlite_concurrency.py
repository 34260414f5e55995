"""The embedded default under load (privacy, third round, finding 8): on SQLite, 20 requests at
once with one client_id gave two 500s ("database is locked"), though one visit was stored.
gunicorn with two workers of four threads on an SQLite file, as `make run`'s database is, and
20 identical posts sent at once: every one answered 201 or 200, exactly one visit."""

import json
import subprocess
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT, _free_port, embedded_default_env, gunicorn_started

SETUP = """
import django
django.setup()
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from kecamatan.models import Region, UserRegion
from kecamatan.regions import region_closure_rebuild
from tests.conftest import SMALL_REGIONS
for code, name, level, parent in SMALL_REGIONS:
    Region.objects.create(
        code=code, name=name, level=level, depth=Region.DEPTHS[level], parent_id=parent
    )
region_closure_rebuild()
user = User.objects.create_user("petugas", password="kata-sandi-uji-123")
user.groups.add(Group.objects.get(name="Petugas"))
print(Token.objects.create(user=user).key)
"""
COUNT = """
import django
django.setup()
from kecamatan.models import Visit
print(Visit.objects.count())
"""


@pytest.fixture
def sqlite_server(tmp_path):
    env = embedded_default_env(tmp_path)

    def python(script: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    token = python(SETUP)
    log = tmp_path / "gunicorn.log"
    server, url = gunicorn_started(
        env, log, port=_free_port(), options=["--workers", "2", "--threads", "4"]
    )
    try:
        yield url, token, lambda: int(python(COUNT)), log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_twenty_identical_posts_at_once_on_sqlite_give_no_500_and_one_visit(sqlite_server):
    url, token, visits, log = sqlite_server
    body = json.dumps(
        {
            "client_id": str(uuid.uuid4()),
            "region": "33.11.01.2001",
            "place": "sekolah",
            "location": "SMA N 1 Weru",
            "status": "held",
            "planned_on": "2025-04-09",
            "held_on": "2025-04-09",
            "activated": 7,
        }
    ).encode()

    def post(_n):
        request = urllib.request.Request(  # noqa: S310
            f"{url}/api/v1/outreach/visits/",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(post, range(20)))
    assert sorted(statuses) == [200] * 19 + [201], log.read_text()[-3000:]
    assert visits() == 1
