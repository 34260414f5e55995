"""The demo's outreach history, consistent with the demo's activations.

Visits are made from the activations themselves: each month, the activations of a kecamatan at
one place type (schools, balai desa, markets, offices, the kecamatan office) are gathered on one
or a few working days at a host desa — the visits — and most of the people from outside the host
desa are booked on it (pupils and market-goers mostly live nearby). Dates move only within their
month, so every month-end total, and with it the press milestones, stays exactly as it was.
A visit reports the people gathered on it (now and then a few more or less, as officers count),
with failures by reason in the proportions the domain notes give. After the data's last day come
four weeks of planned visits, one officer booked twice on a day among them. Seeded: the same
history every time.
"""

import datetime as dt
import math
import random
from collections import defaultdict

from django.contrib.auth.models import Group, User
from django.db import transaction

from ..accounts.roles import PETUGAS
from ..models import Activation, Region, Visit, VisitFailure

SEED = 20250414
VISIT_PLACES = ("sekolah", "desa", "pasar", "instansi", "kecamatan")
# People an officer pair serves in a day at each kind of place, at most.
CAPACITY = {"sekolah": 45, "desa": 30, "pasar": 20, "instansi": 40, "kecamatan": 30}
MIN_PEOPLE = 3  # fewer activations in a month are walk-ins, not a visit
MOVE_TO_HOST = 0.8  # share of the non-government people booked on the host desa
GOVERNMENT = {"asn", "pppk", "bumn", "bumd", "tni", "polri", "dprd_kab", "dprd_prov", "dpr_ri"}
# Share of the people at a visit who could not activate, and why (weights per reason code).
FAILURE_RATE = {"sekolah": 0.25, "desa": 0.45, "pasar": 0.6, "instansi": 0.12, "kecamatan": 0.35}
REASONS = {
    "tanpa_hp": {"desa": 30, "pasar": 35, "kecamatan": 25, "sekolah": 5, "instansi": 2},
    "hp_tidak_didukung": {"desa": 15, "pasar": 15, "kecamatan": 15, "sekolah": 10, "instansi": 15},
    "tanpa_email": {"desa": 15, "pasar": 12, "kecamatan": 15, "sekolah": 30, "instansi": 10},
    "tanpa_nomor_hp": {"desa": 4, "pasar": 4, "kecamatan": 4, "sekolah": 8, "instansi": 1},
    "tanpa_sinyal": {"desa": 8, "pasar": 6, "kecamatan": 5, "sekolah": 8, "instansi": 5},
    "wajah_gagal": {"desa": 8, "pasar": 6, "kecamatan": 10, "sekolah": 20, "instansi": 20},
    "data_tidak_cocok": {"desa": 5, "pasar": 3, "kecamatan": 8, "sekolah": 8, "instansi": 15},
    "akun_perangkat_lain": {"desa": 3, "pasar": 2, "kecamatan": 4, "sekolah": 6, "instansi": 20},
    "biometrik_belum": {"desa": 4, "pasar": 3, "kecamatan": 5, "sekolah": 3, "instansi": 2},
    "menolak": {"desa": 7, "pasar": 12, "kecamatan": 7, "sekolah": 1, "instansi": 8},
    "lainnya": {"desa": 1, "pasar": 2, "kecamatan": 2, "sekolah": 1, "instansi": 2},
}
OFFICERS = [
    # username, first name, last name; "petugas" is also the demo login (accounts.users)
    ("petugas", "Petugas", "Lapangan"),
    ("budi", "Budi", "Santoso"),
    ("sri", "Sri", "Lestari"),
    ("agus", "Agus", "Wibowo"),
    ("dewi", "Dewi", "Anggraini"),
    ("rina", "Rina", "Kusuma"),
    ("joko", "Joko", "Purnomo"),
    ("wahyu", "Wahyu", "Hidayat"),
    ("nur", "Nur", "Hasanah"),
    ("eko", "Eko", "Prasetyo"),
    ("ani", "Ani", "Rahmawati"),
    ("dwi", "Dwi", "Saputra"),
]
PLAN_DAYS = 28


def _location(rng: random.Random, place: str, desa: Region, kecamatan: str) -> str:
    if place == "sekolah":
        kind = rng.choice(["SMA N 1", "SMA N 2", "SMK N 1", "MA N", "SMK Muhammadiyah"])
        return f"{kind} {kecamatan}"
    if place == "desa":
        office = "Kantor Kelurahan" if desa.level == Region.Level.KELURAHAN else "Balai Desa"
        return f"{office} {desa.name}"
    if place == "pasar":
        return f"Pasar {rng.choice([desa.name, kecamatan])}"
    if place == "instansi":
        office = rng.choice(["Puskesmas", "UPT Pendidikan", "Polsek", "Koramil", "Kantor KUA"])
        return f"{office} {kecamatan}"
    return f"Kantor Kecamatan {kecamatan}"


def _working_days(month: dt.date, last: dt.date) -> list[dt.date]:
    day, days = month, []
    while day.month == month.month and day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _failures(rng: random.Random, place: str, people: int) -> dict[str, int]:
    failed = round(people * FAILURE_RATE[place] * rng.uniform(0.6, 1.4))
    codes = list(REASONS)
    counts: dict[str, int] = defaultdict(int)
    for code in rng.choices(codes, weights=[REASONS[c][place] for c in codes], k=failed):
        counts[code] += 1
    return dict(counts)


class Bookings:
    """Who is already out on a day: the demo books an officer once a day, as a planner would."""

    def __init__(self):
        self.days: dict[dt.date, set[str]] = defaultdict(set)

    def pick(self, rng, team: list[str], day: dt.date) -> list[str]:
        free = [o for o in team if o not in self.days[day]]
        free = free or [o for o, *_ in OFFICERS if o not in self.days[day]] or team
        chosen = rng.sample(free, k=min(len(free), rng.choice([1, 2, 2, 3])))
        self.days[day].update(chosen)
        return chosen


def _visit(rng, *, desa, kecamatan, place, day, status, officers, people=None) -> dict:
    request = rng.random() < 0.25
    return {
        "visit": Visit(
            region=desa,
            place=place,
            location=_location(rng, place, desa, kecamatan),
            origin=Visit.Origin.REQUEST if request else Visit.Origin.SCHEDULED,
            letter_number=f"{rng.randint(100, 999)}/{rng.randint(10, 99)}/{day.year}"
            if request
            else "",
            letter_date=day - dt.timedelta(days=rng.randint(7, 20)) if request else None,
            status=status,
            planned_on=day,
            held_on=day if status == Visit.Status.HELD else None,
            expected=5 * math.ceil((people or rng.randint(15, 40)) * rng.uniform(1.1, 1.5) / 5),
            activated=people if status == Visit.Status.HELD else None,
        ),
        "officers": officers,
        "failed": _failures(rng, place, people) if people else {},
    }


def outreach_history(
    *,
    activations: list[Activation],
    desa: list[Region],
    holders: dict[str, dict[str, int]],
    data_end: dt.date,
) -> list[dict]:
    """Gather the activations into visits (their dates and desa change in place, see the module
    docstring) and return the visits to store: held ones, some cancelled, and planned ones."""
    rng = random.Random(SEED)
    by_code = {d.code: d for d in desa}
    kecamatan_names = {
        r.code: r.name for r in Region.objects.filter(code__in={d.parent_id for d in desa})
    }
    team = {code: rng.sample(OFFICERS, k=3) for code in sorted(kecamatan_names)}
    team = {code: [o[0] for o in members] for code, members in team.items()}
    activated = defaultdict(int)
    for a in activations:
        activated[(a.region_id, a.segment_id)] += 1
    groups = defaultdict(list)
    for a in activations:
        if a.place in VISIT_PLACES:
            groups[(a.region_id[:8], a.place, a.activated_on.replace(day=1))].append(a)
    visits, bookings = [], Bookings()
    for (kecamatan, place, month), people in sorted(groups.items()):
        if len(people) < MIN_PEOPLE:
            continue
        people.sort(key=lambda a: (a.activated_on, a.nik_hash))
        days = _working_days(month, data_end)
        count = min(len(days), math.ceil(len(people) / CAPACITY[place]))
        chosen = sorted(rng.sample(days, k=count))
        size = math.ceil(len(people) / count)
        for day, start in zip(chosen, range(0, len(people), size), strict=False):
            gathered = people[start : start + size]
            weights = defaultdict(int)
            for a in gathered:
                weights[a.region_id] += 1
            host = by_code[rng.choices(sorted(weights), [weights[c] for c in sorted(weights)])[0]]
            for a in gathered:
                a.activated_on = day
                room = activated[(host.code, a.segment_id)] < holders[host.code][a.segment_id]
                moves = a.segment_id not in GOVERNMENT and rng.random() < MOVE_TO_HOST
                if moves and room and a.region_id != host.code:
                    activated[(a.region_id, a.segment_id)] -= 1
                    activated[(host.code, a.segment_id)] += 1
                    a.region_id = host.code
            # Officers count by hand: mostly right, sometimes a few more or fewer than the files.
            reported = len(gathered) + rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 3, -1])
            visits.append(
                _visit(
                    rng,
                    desa=host,
                    kecamatan=kecamatan_names[kecamatan],
                    place=place,
                    day=day,
                    status=Visit.Status.HELD,
                    officers=bookings.pick(rng, team[kecamatan], day),
                    people=max(reported, 0),
                )
            )
            if rng.random() < 0.04:  # now and then a visit is called off
                called_off = rng.choice(days)
                visits.append(
                    _visit(
                        rng,
                        desa=host,
                        kecamatan=kecamatan_names[kecamatan],
                        place=place,
                        day=called_off,
                        status=Visit.Status.CANCELLED,
                        officers=rng.sample(team[kecamatan], k=2),
                    )
                )
    visits += _planned(
        rng, desa=desa, names=kecamatan_names, team=team, data_end=data_end, bookings=bookings
    )
    return visits


def _planned(rng, *, desa, names, team, data_end, bookings: Bookings) -> list[dict]:
    """Four weeks of planned visits after the data's last day, two or three a working day."""
    planned = []
    day = data_end
    for _ in range(PLAN_DAYS):
        day += dt.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        for host in rng.sample(desa, k=rng.choice([2, 3])):
            place = rng.choice(["desa", "sekolah", "pasar", "kecamatan", "instansi"])
            planned.append(
                _visit(
                    rng,
                    desa=host,
                    kecamatan=names[host.parent_id],
                    place=place,
                    day=day,
                    status=Visit.Status.PLANNED,
                    officers=bookings.pick(rng, team[host.parent_id], day),
                )
            )
    # The first planned Monday: the demo login is booked at two places (the calendar warns).
    monday = next(p for p in planned if p["visit"].planned_on.weekday() == 0)["visit"].planned_on
    same_day = [p for p in planned if p["visit"].planned_on == monday][:2]
    for p in same_day:
        p["officers"] = sorted({*p["officers"], "petugas"})
    return planned


def demo_officers_create() -> dict[str, User]:
    """The demo's field officers (Petugas, whole kabupaten); no password but the demo login's."""
    group = Group.objects.get(name=PETUGAS)
    users = {}
    for username, first, last in OFFICERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(group)
        users[username] = user
    return users


def outreach_store(visits: list[dict]) -> int:
    """Replace every visit with the demo's; returns how many. Inside the demo's transaction."""
    with transaction.atomic():
        VisitFailure.objects.all().delete()
        Visit.objects.all().delete()
        users = demo_officers_create()
        Visit.objects.bulk_create([v["visit"] for v in visits], batch_size=2000)
        Link = Visit.officers.through
        Link.objects.bulk_create(
            [
                Link(visit_id=v["visit"].pk, user_id=users[u].pk)
                for v in visits
                for u in v["officers"]
            ],
            batch_size=5000,
        )
        VisitFailure.objects.bulk_create(
            [
                VisitFailure(visit_id=v["visit"].pk, reason_id=code, people=n)
                for v in visits
                for code, n in v["failed"].items()
            ],
            batch_size=5000,
        )
    return len(visits)
