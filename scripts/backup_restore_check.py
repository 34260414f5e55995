"""Prove a backup can be restored: load the demo, back it up, wipe the database, restore, and
compare the figures before and after.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikd_backup_check \\
       python scripts/backup_restore_check.py [--keep DUMPFILE]

The database named in DATABASE_URL is dropped and made again: point it at a scratch database,
never at production. Uses the PostgreSQL client tools (pg_dump, pg_restore, dropdb, createdb)
the way docs/operations.md tells an operator to. Exit status 0 when every figure came back.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout


FINGERPRINT = """
import json
from django.db import connection
from kecamatan.dashboard.api import progress_as_json
from kecamatan.models import Region
from kecamatan.progress.selectors import progress_for_region
out = {}
for region in Region.objects.filter(depth__lte=3).order_by("code"):
    out[region.code] = progress_as_json(progress_for_region(region=region))
with connection.cursor() as cursor:
    for table in ("kecamatan_activation", "kecamatan_ktpholdercount", "kecamatan_activationdaily",
                  "kecamatan_progresssnapshot", "kecamatan_target", "auth_user"):
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        out[table] = cursor.fetchone()[0]
print(json.dumps(out, sort_keys=True, default=str))
"""


def fingerprint() -> dict:
    return json.loads(manage("shell", "-c", FINGERPRINT).strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="also keep the dump here")
    args = parser.parse_args()
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    name = url.path.lstrip("/")
    conn = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    conn += ["-U", url.username or "postgres"]
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}

    def pg(*command: str) -> None:
        subprocess.run(list(command), check=True, env=env, capture_output=True)

    subprocess.run(["dropdb", *conn, "--if-exists", name], check=True, env=env)
    pg("createdb", *conn, name)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    before = fingerprint()
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / f"{name}.dump"
        pg("pg_dump", *conn, "--format=custom", "--file", str(dump), name)  # the backup
        pg("dropdb", *conn, name)  # the disaster
        pg("createdb", *conn, name)
        pg("pg_restore", *conn, "--dbname", name, "--no-owner", str(dump))  # the restore
        if args.keep:
            args.keep.write_bytes(dump.read_bytes())
        size = dump.stat().st_size
    after = fingerprint()
    differences = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    root = before.get("33.11", {}).get("totals", {})
    print(
        f"dump {size / 1e6:.1f} MB; {len(before)} regions and tables compared; "
        f"kabupaten activated {root.get('activated')} of {root.get('holders')}"
    )
    if differences:
        print("DIFFERENT after restore:", ", ".join(differences))
        return 1
    print("every figure came back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
