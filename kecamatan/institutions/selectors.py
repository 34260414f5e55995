"""Progress per institution as of a date: each roster joined to the activation store by the NIK's
keyed hash, counted in one GROUP BY whatever the number of institutions, and the month-by-month
trend of one institution. Nothing here keeps or sees a NIK: both sides are hashes.

A member counts as activated on a date when their hash is in the activation store with an
activation date on or before it. Members whose NIK was issued outside the kabupaten cannot be
verified here (they may have activated elsewhere) and do not count towards this kabupaten's
target: they leave the denominator (`members_counted` = members − outside) and the numerator,
and are shown apart.
"""

import datetime as dt

from django.db import connection
from django.db.models import Q

from ikd_dashboard.numbers import float_or_none

from ..formulas import basis_points, gap_people, percent, target_people
from ..models import Institution, Region
from ..progress.runs import recompute_status
from ..progress.selectors import cumulative_by_month, people_by_month, progress_data_date
from .targets import institution_targets

ORDERS = ("kekurangan", "persen")
# What the GROUP BY gives for each institution, in its order.
COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "region",
    "region_name",
    "region_level",
    "segment",
    "members",
    "activated",
    "outside",
)


def institutions_latest_date() -> dt.date:
    """The date pages and the API show by default, and the latest they accept: that of the
    region pages (the last recompute), else the data date."""
    return recompute_status().latest_as_of or progress_data_date()


def _figures_sql(
    *, as_of: dt.date, region: Region | None, kind: str | None, code: str | None
) -> tuple[str, dict]:
    """Every selected institution's members, activated members and members from outside the
    kabupaten as of a date: two GROUP BYs over the selected rosters — one of them joined to the
    activation store by hash — put beside each institution."""
    conditions, params = ["1 = 1"], {"as_of": as_of}
    if region is not None and region.parent_id is not None:  # the root holds every one
        # Kemendagri codes nest by prefix (33.11.01 ⊃ 33.11.01.2001): no join, and the planner
        # estimates a prefix on this small table well (a join to the closure misled it).
        conditions.append("(s.region_id = %(region)s OR s.region_id LIKE %(below)s)")
        params.update(region=region.code, below=f"{region.code}.%")
    if kind:
        conditions.append("s.kind = %(kind)s")
        params["kind"] = kind
    if code:
        conditions.append("s.code = %(code)s")
        params["code"] = code
    selected = "SELECT s.id FROM kecamatan_institution s WHERE " + " AND ".join(conditions)
    sql = f"""
        SELECT i.id, i.code, i.name, i.kind, i.region_id, r.name, r.level, i.segment_id,
               COALESCE(m.members, 0), COALESCE(x.activated, 0), COALESCE(m.outside, 0)
        FROM kecamatan_institution i
        JOIN kecamatan_region r ON r.code = i.region_id
        LEFT JOIN (
            SELECT institution_id, COUNT(*) AS members,
                   SUM(CASE WHEN outside_kabupaten THEN 1 ELSE 0 END) AS outside
            FROM kecamatan_rostermember
            WHERE institution_id IN ({selected})
            GROUP BY institution_id
        ) m ON m.institution_id = i.id
        LEFT JOIN (
            SELECT rm.institution_id, COUNT(*) AS activated
            FROM kecamatan_rostermember rm
            JOIN kecamatan_activation a ON a.nik_hash = rm.nik_hash
            WHERE rm.institution_id IN ({selected}) AND a.activated_on <= %(as_of)s
                  AND NOT rm.outside_kabupaten
            GROUP BY rm.institution_id
        ) x ON x.institution_id = i.id
        WHERE i.id IN ({selected})
    """
    return sql, params


def institution_figures(
    *,
    as_of: dt.date,
    region: Region | None = None,
    kind: str | None = None,
    code: str | None = None,
    order: str = "kekurangan",
) -> list[dict]:
    """Every selected institution's figures as of a date, furthest behind first (by people
    still needed for its target, or with `order="persen"` by percentage, lowest first): four
    queries whatever the number of institutions."""
    sql, params = _figures_sql(as_of=as_of, region=region, kind=kind, code=code)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    kinds = dict(Institution.Kind.choices)
    rows = []
    for values in fetched:
        row = dict(zip(COLUMNS, values, strict=True))
        for count in ("members", "activated", "outside"):
            row[count] = int(row[count])  # SQLite and PostgreSQL alike
        row["members_counted"] = row["members"] - row["outside"]
        where = Region(code=row["region"], name=row["region_name"], level=row["region_level"])
        rows.append(
            {
                **row,
                "kind_label": str(kinds.get(row["kind"], row["kind"])),
                "region_label": where.display_name,  # "Kecamatan Sukoharjo", not "Sukoharjo"
            }
        )
    targets = institution_targets(as_of=as_of, institutions=rows)
    for row in rows:
        row.update(_derived(row, targets.get(row["id"])))
    return sorted(rows, key=_order_key(order))


def _derived(row: dict, target: dict | None) -> dict:
    """Percent, and the target's figures in people (rounded up, as for regions), of the members
    counted towards the kabupaten's target."""
    members, activated = row["members_counted"], row["activated"]
    share = percent(activated, members)
    if target is None:
        return {
            "percent": share,
            "target_percent": None,
            "target_deadline": None,
            "target_source": None,
            "target_people": None,
            "gap_people": None,
        }
    people = target_people(members, basis_points(target["percent"]))
    return {
        "percent": share,
        "target_percent": target["percent"],
        "target_deadline": target["deadline"],
        "target_source": target["source"],
        "target_people": people,
        "gap_people": gap_people(people, activated),
    }


def _order_key(order: str):
    if order == "persen":
        return lambda r: (r["percent"] is None, r["percent"] or 0, r["code"])
    return lambda r: (-(r["gap_people"] or 0), r["percent"] or 0, r["code"])


def institution_trend(*, institution: Institution, as_of: dt.date) -> tuple[list, list]:
    """Month ends and the members activated by each, up to `as_of` (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.activated_on, COUNT(*)
            FROM kecamatan_rostermember m
            JOIN kecamatan_activation a ON a.nik_hash = m.nik_hash
            WHERE m.institution_id = %(institution)s AND a.activated_on <= %(as_of)s
                  AND NOT m.outside_kabupaten
            GROUP BY a.activated_on
            """,
            {"institution": institution.pk, "as_of": as_of},
        )
        counts = people_by_month(cursor.fetchall())
    return cumulative_by_month(counts, as_of=as_of)


def institution_visits(*, institution: Institution, visits, n: int = 10) -> list:
    """The outreach visits (from `visits`, the reader's) that named this institution, by its
    name or its code as officers typed it, latest first."""
    named = Q(institution__iexact=institution.name) | Q(institution__iexact=institution.code)
    return list(visits.filter(named).select_related("region").order_by("-planned_on", "-pk")[:n])


def institutions_behind(*, as_of: dt.date, n: int = 10, region: Region | None = None) -> dict:
    """The monthly report's section, JSON-ready: how many institutions have a roster (in
    `region`, a kecamatan's report), how many have reached their target, and the `n` furthest
    behind in people."""
    rows = institution_figures(as_of=as_of, region=region)
    with_target = [r for r in rows if r["target_people"] is not None]
    return {
        "count": len(rows),
        "reached": sum(1 for r in with_target if r["gap_people"] == 0),
        "behind": [
            {
                "code": r["code"],
                "name": r["name"],
                "kind": r["kind"],
                "kind_label": r["kind_label"],
                "members": r["members"],
                "members_counted": r["members_counted"],
                "activated": r["activated"],
                "outside": r["outside"],
                "percent": float_or_none(r["percent"]),
                "target_percent": float_or_none(r["target_percent"]),
                "target_people": r["target_people"],
                "gap_people": r["gap_people"],
            }
            for r in with_target
            if r["gap_people"]
        ][:n],
    }
