"""The shipped-install stage (scripts/shipped_stack_check.py, run by `make shipped` in .ci/run)
runs what the image runs: the same install, the same commands, the same health checks. No
container engine runs in CI, so these tests hold the stage to docker-compose.yml and the
Dockerfile line by line; the stage itself proves the commands work."""

import re
import shlex

import yaml

from scripts import shipped_stack_check as stage
from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_the_web_worker_and_beat_run_the_commands_the_stage_runs():
    services = COMPOSE["services"]
    shell, flag, script = shlex.split(services["web"]["command"])
    migrate, gunicorn = script.split("&&")
    assert (shell, flag, migrate.split()) == ("sh", "-c", shlex.split(stage.MIGRATE_COMMAND))
    assert shlex.split(gunicorn) == [part.format(bind="0.0.0.0:8000") for part in stage.WEB_COMMAND]
    assert services["worker"]["command"] == stage.WORKER_COMMAND
    assert services["beat"]["command"] == [
        part.format(beat_dir="/app/beat") for part in stage.BEAT_COMMAND
    ]
    # The image's own command (docker run without compose) is the same gunicorn.
    cmd = DOCKERFILE.split("CMD ", 1)[1].replace("\\\n", " ")
    assert yaml.safe_load(cmd) == [part.format(bind="0.0.0.0:8000") for part in stage.WEB_COMMAND]


def test_the_health_checks_are_the_ones_the_stage_probes_with():
    services = COMPOSE["services"]
    assert services["web"]["healthcheck"]["test"] == ["CMD"] + [
        part.format(port=8000) for part in stage.WEB_HEALTHCHECK
    ]
    kind, command = services["worker"]["healthcheck"]["test"]
    # `$$` is compose's escape for a `$` the container's shell expands.
    assert (kind, command.replace("$$", "$")) == ("CMD-SHELL", stage.WORKER_HEALTHCHECK)


def test_the_image_installs_exactly_the_locked_set():
    install = next(line for line in DOCKERFILE.splitlines() if "pip install" in line)
    assert "--no-deps" in install  # nothing the lock does not name
    assert "-r requirements.txt" in install
    assert "pip check" in DOCKERFILE
    assert "requirements-dev" not in DOCKERFILE
    # The stage installs the same way (Makefile, target `shipped`).
    makefile = (ROOT / "Makefile").read_text().split("\nshipped:", 1)[1].split("\n\n", 1)[0]
    assert "--no-deps" in makefile and "-r requirements.txt" in makefile
    assert "pip check" in makefile


def test_the_lock_pins_every_package_and_what_the_redis_transport_needs():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    requirements = [line for line in lines if line and not line.startswith((" ", "#"))]
    assert all(re.fullmatch(r"[a-z0-9._-]+==[0-9][^ ]*", line) for line in requirements)
    pins = {line.split("==")[0]: line.split("==")[1] for line in requirements}
    # kombu's Redis transport imports packaging; celery[redis] brings it (the crash).
    assert {"celery", "kombu", "redis", "packaging"} <= set(pins)
    assert "celery[redis]" in (ROOT / "requirements.in").read_text()
