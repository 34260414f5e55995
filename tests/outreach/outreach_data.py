"""Hand-made outreach visits on the small kabupaten (conftest.py), for the outreach tests.

  V1 Alasombo  sekolah held 3 Mar 2025   40  petugas, budi         email 6 (retry), no phone 4
  V2 Alasombo  sekolah held 20 Mar 2025  20  petugas               face match 3 (retry)
  V3 Tegalsari pasar   held 10 Mar 2025   9  budi                  refused 5, no signal 2 (retry)
  V4 Puron     desa    held 14 Feb 2025  25  admin, budi, petugas  email 4 (retry)
  V5 Puron     desa    planned 14 Apr 2025   budi (expected 50)
  V6 Alasombo  pasar   cancelled 25 Mar 2025 petugas
  V7 Tegalsari desa    held 10 Jan 2024  12  budi  (a year before: outside the yield window)
The number after the date is the people activated.
Weru = Alasombo + Tegalsari, Bulu = Puron. Petugas is limited to Weru.
"""

import datetime as dt
import uuid

from django.contrib.auth.models import Group, User

from kecamatan.models import Visit, VisitFailure

D = dt.date


def officer(username: str, first: str, last: str = "") -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.groups.add(Group.objects.get(name="Petugas"))
    return user


def visit(region, place, location, status, day, officers, activated=None, failed=None, **extra):
    held = status == "held"
    v = Visit.objects.create(
        region_id=region,
        place=place,
        location=location,
        status=status,
        planned_on=day,
        held_on=day if held else None,
        activated=activated if held else None,
        **extra,
    )
    v.officers.set(officers)
    for code, people in (failed or {}).items():
        VisitFailure.objects.create(visit=v, reason_id=code, people=people)
    return v


def outreach_visits_create(*, petugas: User, admin: User) -> dict[str, Visit]:
    budi = officer("budi", "Budi", "Santoso")
    alasombo, tegalsari, puron = "33.11.01.2001", "33.11.01.2002", "33.11.02.2001"
    return {
        "V1": visit(
            alasombo,
            "sekolah",
            "SMA N 1 Weru",
            "held",
            D(2025, 3, 3),
            [petugas, budi],
            40,
            {"tanpa_email": 6, "tanpa_hp": 4},
        ),
        "V2": visit(
            alasombo,
            "sekolah",
            "SMA N 1 Weru",
            "held",
            D(2025, 3, 20),
            [petugas],
            20,
            {"wajah_gagal": 3},
        ),
        "V3": visit(
            tegalsari,
            "pasar",
            "Pasar Tegalsari",
            "held",
            D(2025, 3, 10),
            [budi],
            9,
            {"menolak": 5, "tanpa_sinyal": 2},
        ),
        "V4": visit(
            puron,
            "desa",
            "Balai Desa Puron",
            "held",
            D(2025, 2, 14),
            [admin, budi, petugas],
            25,
            {"tanpa_email": 4},
        ),
        "V5": visit(
            puron, "desa", "Balai Desa Puron", "planned", D(2025, 4, 14), [budi], expected=50
        ),
        "V6": visit(alasombo, "pasar", "Pasar Alasombo", "cancelled", D(2025, 3, 25), [petugas]),
        "V7": visit(tegalsari, "desa", "Balai Desa Tegalsari", "held", D(2024, 1, 10), [budi], 12),
    }


def visit_payload(**changes) -> dict:
    """A held visit as a phone sends it to the API, with `changes`."""
    body = {
        "client_id": str(uuid.uuid4()),
        "region": "33.11.01.2001",
        "place": "sekolah",
        "location": "SMA N 1 Weru",
        "status": "held",
        "planned_on": "2025-04-09",
        "held_on": "2025-04-09",
        "officers": ["petugas"],
        "expected": 60,
        "activated": 42,
        "failed": {"tanpa_email": 5, "tanpa_hp": 2},
    }
    return {**body, **changes}
