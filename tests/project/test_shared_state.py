"""On the embedded default (SQLite, no cache server), what decides a limit or what a restricted
role sees is shared by every process (privacy, third round, finding 5): two gunicorn workers
each kept their own counters (20 checks an hour against a limit of 10) and their own page
generation (one showed a small segment's grouping from before an import, the other after).

Two real processes on one embedded-default database, each with the production settings."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, embedded_default_env

# Each process: set up Django, do `steps`, print one JSON line of what it saw.
SCRIPT = """
import json, sys, django
django.setup()
from django.contrib.auth.models import User
from kecamatan.pagecache import pages_changed, pages_generation
from kecamatan.institutions.check import CheckRefused, _count_use

user, _ = User.objects.get_or_create(username="admin")
seen = {"checks": []}
for step in sys.argv[1].split(","):
    if step == "check":
        try:
            _count_use(user)
            seen["checks"].append("ok")
        except CheckRefused:
            seen["checks"].append("refused")
    elif step == "generation":
        seen.setdefault("generations", []).append(pages_generation())
    elif step == "import":  # what an import's recompute does when it finishes
        pages_changed()
print(json.dumps(seen))
"""


@pytest.fixture
def embedded_default(tmp_path):
    env = embedded_default_env(tmp_path, ROSTER_CHECK_PER_HOUR="10")

    def process(*steps: str) -> dict:
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, ",".join(steps)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    return process


def test_two_processes_share_one_rate_limit(embedded_default):
    first = embedded_default(*["check"] * 6)
    second = embedded_default(*["check"] * 6)
    assert first["checks"] == ["ok"] * 6
    assert second["checks"] == ["ok"] * 4 + ["refused"] * 2  # 10 an hour, whichever process


def test_a_process_sees_the_generation_another_moved_right_after_an_import(embedded_default):
    before = embedded_default("generation")["generations"][0]
    importer = embedded_default("generation", "import", "generation")["generations"]
    assert importer[0] == before and importer[1] != before
    # The small-count groups, the page cache and the recompute status are keyed on it.
    assert embedded_default("generation")["generations"] == [importer[1]]
