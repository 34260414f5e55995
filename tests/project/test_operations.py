"""Operations: a backup restores every figure (the script docs/operations.md points to)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import ROOT


def test_backup_wipe_and_restore_bring_back_every_figure(db):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its client tools (pg_dump, pg_restore)")
    settings = connection.settings_dict
    scratch = f"ikd_backup_check_{os.getpid()}"
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{scratch}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ikd_dashboard.settings"}
    env.pop("CELERY_BROKER_URL", None)  # the demo's recompute runs in-process
    try:
        result = subprocess.run(
            [sys.executable, "scripts/backup_restore_check.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        subprocess.run(
            [
                "dropdb",
                "-h",
                settings["HOST"] or "127.0.0.1",
                "-U",
                settings["USER"],
                "--if-exists",
                scratch,
            ],
            capture_output=True,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every figure came back" in result.stdout
    assert "kabupaten activated 33600 of 680000" in result.stdout
