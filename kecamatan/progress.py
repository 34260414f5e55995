"""Progress against the target: the set-based computation, the snapshots it writes, and reads.

For every region at every level and for each segment (and all segments together) as of a date:
KTP holders, distinct activations, percentage, the target in force, the target and the gap in
people, the pace of the last 30 days, the pace needed, and the projected date at that pace.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from ikd_dashboard.dates import month_end, month_start, next_month, today_jakarta

from .models import (
    Activation,
    ActivationRecap,
    ProgressSnapshot,
    RecomputeRun,
    Region,
    RegionClosure,
    Segment,
    Target,
)

log = logging.getLogger(__name__)

PACE_WINDOW_DAYS = 30
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
# Further than this, "reached at this pace" means nothing to a reader: report it as unreachable.
PROJECTION_HORIZON_DAYS = 36_500
ALL_SEGMENTS = "*"  # stands for "all segments together" inside the SQL; NULL in the table

FIGURE_FIELDS = [
    "holders",
    "activated",
    "percent",
    "target_percent",
    "target_deadline",
    "target_people",
    "gap_people",
    "pace_30d_per_day",
    "needed_per_day",
    "needed_per_month",
    "projected_date",
]

# Shown on the pages beside the API's figures.
PAGE_FIELDS = [
    *FIGURE_FIELDS,
    "pace_7d_per_day",
    "needed_per_working_day",
    "target_valid_from",
    "start_level",
    "milestone_people",
]
SNAPSHOT_COLUMNS = [
    "as_of",
    "region_id",
    "segment_id",
    "holders",
    "activated",
    "activated_30d",
    "activated_7d",
    *[f for f in PAGE_FIELDS if f not in ("holders", "activated")],
]


def progress_data_date() -> dt.date:
    """The date the data runs to: the latest activation or recap, or today when there is none."""
    latest = [
        Activation.objects.aggregate(latest=Max("activated_on"))["latest"],
        ActivationRecap.objects.aggregate(latest=Max("day"))["latest"],
    ]
    return max((d for d in latest if d), default=None) or today_jakarta()


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday–Friday days after `start` up to and including `end` (public holidays not known)."""
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(1, rest + 1) if (start + dt.timedelta(days=i)).weekday() < 5)
    return full_weeks * 5 + extra


def target_in_force(
    *, on: dt.date, segment_code: str | None = None, region: Region | None = None
) -> Target | None:
    """The target version in force on a date for a region and segment (None = all of them).

    In each scope the latest version valid on the date counts; the nearest region scope wins,
    then a segment's own target over the general one.
    """
    ancestors = (
        list(RegionClosure.objects.filter(descendant=region).values_list("ancestor_id", "distance"))
        if region
        else []
    )
    distance = dict(ancestors)
    best = None
    slots, _starts = _target_slots(on)
    for slot in slots:
        target = slot["target"]
        if target.region_id and target.region_id not in distance:
            continue
        if target.segment_id and target.segment_id != segment_code:
            continue
        rank = (distance.get(target.region_id, 999), 0 if target.segment_id else 1)
        if best is None or rank < best[0]:
            best = (rank, target)
    return best[1] if best else None


def targets_valid_on(as_of: dt.date) -> list[Target]:
    """Every target version that had started by `as_of`, oldest first."""
    return list(Target.objects.filter(valid_from__lte=as_of).order_by("valid_from", "pk"))


def _target_slots(
    as_of: dt.date, targets: list[Target] | None = None
) -> tuple[list[dict], list[dt.date]]:
    """For each scope (region or all × segment or all), the version in force on `as_of`."""
    latest: dict[tuple, Target] = {}
    if targets is None:
        targets = targets_valid_on(as_of)
    for target in sorted(
        (t for t in targets if t.valid_from <= as_of), key=lambda t: (t.valid_from, t.pk)
    ):
        latest[(target.region_id, target.segment_id)] = target
    starts = sorted({t.valid_from for t in latest.values()})
    slots = []
    for target in latest.values():
        slots.append(
            {
                "target": target,
                "region": target.region_id or "",
                "segment": target.segment_id or ALL_SEGMENTS,
                "bp": int(target.percent * 100),
                "percent": target.percent,
                "valid_from": target.valid_from,
                "deadline": target.deadline,
                "days_left": (target.deadline - as_of).days,
                "workdays_left": working_days_between(as_of, target.deadline),
                # The straight line runs from the day before the target starts to its deadline.
                "elapsed": (as_of - target.valid_from).days + 1,
                "span": (target.deadline - target.valid_from).days + 1,
                "start_idx": starts.index(target.valid_from),
            }
        )
    return slots, starts


def _dialect() -> dict[str, str]:
    """The bits of date SQL that differ between PostgreSQL and SQLite."""
    if connection.vendor == "postgresql":
        return {
            "date": "CAST({} AS date)",
            "add_days": "CAST({date} AS date) + CAST({days} AS integer)",
        }
    return {"date": "{}", "add_days": "date({date}, '+' || CAST({days} AS integer) || ' days')"}


def _slots_sql(slots: list[dict], params: dict) -> str:
    """The target slots as a VALUES list (a dummy row when there are none, so SQL stays valid)."""
    date = _dialect()["date"]
    rows = []
    for i, slot in enumerate(slots):
        for key in (
            "region",
            "segment",
            "bp",
            "percent",
            "valid_from",
            "deadline",
            "days_left",
            "workdays_left",
            "elapsed",
            "span",
            "start_idx",
        ):
            params[f"t{i}_{key}"] = slot[key]
        rows.append(
            f"(%(t{i}_region)s, %(t{i}_segment)s, CAST(%(t{i}_bp)s AS integer), "
            f"CAST(%(t{i}_percent)s AS numeric), {date.format(f'%(t{i}_valid_from)s')}, "
            f"{date.format(f'%(t{i}_deadline)s')}, CAST(%(t{i}_days_left)s AS integer), "
            f"CAST(%(t{i}_workdays_left)s AS integer), CAST(%(t{i}_elapsed)s AS integer), "
            f"CAST(%(t{i}_span)s AS integer), CAST(%(t{i}_start_idx)s AS integer))"
        )
    if not rows:
        rows.append(
            f"('-', '-', 0, CAST(0 AS numeric), {date.format('NULL')}, {date.format('NULL')}, "
            "0, 0, 0, 1, 0)"
        )
    return ", ".join(rows)


def _targeted_sql(
    *, slots_values: str, start_level: str, as_of_sql: str, regional: bool = True
) -> str:
    """Given a CTE `combined` (region_id, segment_id, holders, activated, activated_30d,
    activated_7d, …), pick each row's target and derive every figure.

    `regional` is False when no target is set for a region. Then there is at most one version
    per segment and one general version, so each row takes its segment's own or else the
    general one with a plain join, without ranking candidates through the closure table.
    """
    if regional:
        chosen = f"""
        candidates AS (
            SELECT f.region_id, f.segment_id, s.bp, s.target_percent, s.target_valid_from,
                   s.target_deadline, s.days_left, s.workdays_left, s.elapsed, s.span,
                   s.start_idx,
                   ROW_NUMBER() OVER (
                       PARTITION BY f.region_id, f.segment_id
                       ORDER BY CASE WHEN s.region_id = '' THEN 999 ELSE c.distance END,
                                CASE WHEN s.segment_id = '{ALL_SEGMENTS}' THEN 1 ELSE 0 END
                   ) AS choice
            FROM combined f
            JOIN slots s ON s.segment_id = f.segment_id OR s.segment_id = '{ALL_SEGMENTS}'
            LEFT JOIN kecamatan_regionclosure c
                ON c.ancestor_id = s.region_id AND c.descendant_id = f.region_id
            WHERE s.region_id = '' OR c.ancestor_id IS NOT NULL
        ),"""
        target_join = """LEFT JOIN candidates t
                ON t.region_id = f.region_id AND t.segment_id = f.segment_id AND t.choice = 1"""
    else:
        chosen = ""
        target_join = f"""LEFT JOIN slots t
                ON t.segment_id = f.segment_id
                   OR (t.segment_id = '{ALL_SEGMENTS}'
                       AND NOT EXISTS (SELECT 1 FROM slots o WHERE o.segment_id = f.segment_id))"""
    projected = _dialect()["add_days"].format(
        date="%(as_of)s",
        days="(t.gap_people * %(window)s + t.activated_30d - 1) / t.activated_30d",
    )
    return f"""
        slots(region_id, segment_id, bp, target_percent, target_valid_from, target_deadline,
              days_left, workdays_left, elapsed, span, start_idx) AS (VALUES {slots_values}),
        {chosen}
        with_target AS (
            SELECT f.region_id, f.segment_id, f.holders, f.activated, f.activated_30d,
                   f.activated_7d, t.target_percent, t.target_valid_from, t.target_deadline,
                   t.days_left, t.workdays_left, t.elapsed, t.span,
                   {start_level} AS start_level,
                   (f.holders * t.bp + 9999) / 10000 AS target_people
            FROM combined f
            {target_join}
        ),
        with_gap AS (
            SELECT w.*,
                   CASE WHEN w.target_people IS NULL THEN NULL
                        WHEN w.target_people > w.activated THEN w.target_people - w.activated
                        ELSE 0 END AS gap_people
            FROM with_target w
        )
        SELECT {as_of_sql} AS as_of,
               t.region_id,
               NULLIF(t.segment_id, '{ALL_SEGMENTS}') AS segment_id,
               t.holders, t.activated, t.activated_30d, t.activated_7d,
               CASE WHEN t.holders > 0 THEN ROUND(100.0 * t.activated / t.holders, 2)
                    END AS percent,
               t.target_percent, t.target_deadline, t.target_people, t.gap_people,
               ROUND(1.0 * t.activated_30d / %(window)s, 2) AS pace_30d_per_day,
               CASE WHEN t.days_left > 0 THEN ROUND(1.0 * t.gap_people / t.days_left, 2)
                    END AS needed_per_day,
               CASE WHEN t.days_left > 0
                    THEN ROUND(t.gap_people * %(days_per_month)s / t.days_left, 2)
                    END AS needed_per_month,
               CASE WHEN t.gap_people = 0 THEN {as_of_sql}
                    WHEN t.activated_30d > 0
                         AND (t.gap_people * %(window)s + t.activated_30d - 1) / t.activated_30d
                             <= %(horizon)s
                    THEN {projected}
                    END AS projected_date,
               ROUND(1.0 * t.activated_7d / 7, 2) AS pace_7d_per_day,
               CASE WHEN t.workdays_left > 0 THEN ROUND(1.0 * t.gap_people / t.workdays_left, 2)
                    END AS needed_per_working_day,
               t.target_valid_from,
               t.start_level,
               CASE WHEN t.target_people IS NULL OR t.start_level IS NULL THEN NULL
                    WHEN t.elapsed >= t.span OR t.target_people <= t.start_level
                    THEN t.target_people
                    ELSE t.start_level + ((t.target_people - t.start_level) * t.elapsed) / t.span
                    END AS milestone_people
        FROM with_gap t
    """


def _base_params(as_of: dt.date) -> dict:
    return {
        "as_of": as_of,
        "since30": as_of - dt.timedelta(days=PACE_WINDOW_DAYS),
        "since7": as_of - dt.timedelta(days=7),
        "window": PACE_WINDOW_DAYS,
        "horizon": PROJECTION_HORIZON_DAYS,
        "days_per_month": DAYS_PER_MONTH,
    }


def _in_subtree(scope: str, params: dict, *, listed: bool = True) -> str:
    """`IN (…)` the regions under `scope`. Listed up front (one query more), the planner reads
    each region's rows through the (region, day) index instead of scanning the whole table per
    unit; a page's small subtree does as well with a subquery."""
    if not listed:
        params["scope"] = scope
        return (
            "IN (SELECT sub.descendant_id FROM kecamatan_regionclosure sub"
            " WHERE sub.ancestor_id = %(scope)s)"
        )
    codes = list(
        RegionClosure.objects.filter(ancestor_id=scope).values_list("descendant_id", flat=True)
    )
    if connection.vendor == "postgresql":
        params["subtree"] = codes
        return "= ANY(%(subtree)s)"
    names = [f"sub{i}" for i in range(len(codes))]
    params.update(zip(names, codes, strict=True))
    return "IN (" + ", ".join(f"%({n})s" for n in names) + ")"


def _subtree_sql(
    *, as_of: dt.date, scope: str, output: list[str] | None, targets: list[Target] | None = None
) -> tuple[str, dict]:
    """Every figure for the regions under `scope` (itself included), from facts and holders.

    `output` limits the rows to those regions (a page's region and its children).
    """
    params = _base_params(as_of)
    params["scope"] = scope
    in_scope = _in_subtree(scope, params, listed=output is None)
    slots, starts = _target_slots(as_of, targets)
    before = []
    for k, start in enumerate(starts):
        params[f"start{k}"] = start
        before.append(f"SUM(CASE WHEN f.day < %(start{k})s THEN f.people ELSE 0 END) AS before{k}")
    before_cols = [f"before{k}" for k in range(len(starts))]
    before_select = "".join(f", {c}" for c in before_cols)
    before_sum = "".join(f", CAST(SUM({c}) AS bigint) AS {c}" for c in before_cols)
    output_filter = ""
    if output is not None:
        names = [f"out{i}" for i in range(len(output))]
        params.update(zip(names, output, strict=True))
        output_filter = "AND c.ancestor_id IN (" + ", ".join(f"%({n})s" for n in names) + ")"
    start_level = (
        "CASE t.start_idx "
        + " ".join(f"WHEN {k} THEN f.before{k}" for k in range(len(starts)))
        + " END"
        if starts
        else "NULL"
    )
    sql = f"""
        WITH leaf_facts AS (
            SELECT f.region_id, f.segment_id, SUM(f.people) AS activated,
                   SUM(CASE WHEN f.day > %(since30)s THEN f.people ELSE 0 END) AS activated_30d,
                   SUM(CASE WHEN f.day > %(since7)s THEN f.people ELSE 0 END) AS activated_7d
                   {"".join(", " + b for b in before)}
            FROM kecamatan_activationdaily f
            WHERE f.region_id {in_scope} AND f.day <= %(as_of)s
            GROUP BY f.region_id, f.segment_id
        ),
        latest_holders AS (
            SELECT h.region_id, h.segment_id, h.holders,
                   ROW_NUMBER() OVER (
                       PARTITION BY h.region_id, h.segment_id ORDER BY h.valid_from DESC
                   ) AS version
            FROM kecamatan_ktpholdercount h
            WHERE h.region_id {in_scope} AND h.valid_from <= %(as_of)s
        ),
        leaf AS (
            SELECT region_id, segment_id, SUM(holders) AS holders, SUM(activated) AS activated,
                   SUM(activated_30d) AS activated_30d, SUM(activated_7d) AS activated_7d
                   {"".join(f", SUM({c}) AS {c}" for c in before_cols)}
            FROM (
                SELECT region_id, segment_id, holders, 0 AS activated, 0 AS activated_30d,
                       0 AS activated_7d {"".join(f", 0 AS {c}" for c in before_cols)}
                FROM latest_holders WHERE version = 1
                UNION ALL
                SELECT region_id, segment_id, 0, activated, activated_30d, activated_7d
                       {before_select}
                FROM leaf_facts
            ) AS parts
            GROUP BY region_id, segment_id
        ),
        -- (region, ancestor) pairs inside the scope, the scope itself included; both sides
        -- through the index, instead of the whole closure table joined against the scope.
        pairs AS (
            SELECT c.ancestor_id, c.descendant_id
            FROM kecamatan_regionclosure c
            WHERE c.descendant_id {in_scope} AND c.ancestor_id {in_scope} {output_filter}
        ),
        rolled AS (
            SELECT c.ancestor_id AS region_id, l.segment_id,
                   CAST(SUM(l.holders) AS bigint) AS holders,
                   CAST(SUM(l.activated) AS bigint) AS activated,
                   CAST(SUM(l.activated_30d) AS bigint) AS activated_30d,
                   CAST(SUM(l.activated_7d) AS bigint) AS activated_7d
                   {"".join(f", CAST(SUM(l.{c}) AS bigint) AS {c}" for c in before_cols)}
            FROM leaf l
            JOIN pairs c ON c.descendant_id = l.region_id
            GROUP BY c.ancestor_id, l.segment_id
        ),
        combined AS (
            SELECT region_id, segment_id, holders, activated, activated_30d, activated_7d
                   {before_select}
            FROM rolled
            UNION ALL
            SELECT region_id, '{ALL_SEGMENTS}', CAST(SUM(holders) AS bigint),
                   CAST(SUM(activated) AS bigint), CAST(SUM(activated_30d) AS bigint),
                   CAST(SUM(activated_7d) AS bigint) {before_sum}
            FROM rolled GROUP BY region_id
        ),
        {
        _targeted_sql(
            slots_values=_slots_sql(slots, params),
            start_level=start_level,
            as_of_sql=_dialect()["date"].format("%(as_of)s"),
            regional=any(slot["region"] for slot in slots),
        )
    }
    """
    return sql, params


def unit_depth() -> int:
    """The level a recompute is split at: the shallowest level with more than one region, but
    never below the kabupaten (provinces nationally, the kabupaten for a single office)."""
    levels = Region.objects.values("depth").annotate(n=Count("code")).order_by("depth")
    for level in levels:
        if level["n"] > 1:
            return min(level["depth"], Region.DEPTHS["kabupaten"])
    return levels[0]["depth"] if levels else 0


def _top_sql(*, as_of: dt.date, depth: int) -> tuple[str, dict]:
    """Figures for the regions above the units (province, nation), from the units' snapshots.

    Counts add up exactly; the trajectory's start level above a kabupaten is the sum of the
    kabupaten start levels.
    """
    params = _base_params(as_of)
    params["unit_depth"] = depth
    slots, _starts = _target_slots(as_of)
    sql = f"""
        WITH units AS (
            SELECT s.region_id, COALESCE(s.segment_id, '{ALL_SEGMENTS}') AS segment_id,
                   s.holders, s.activated, s.activated_30d, s.activated_7d,
                   COALESCE(s.start_level, 0) AS start_level
            FROM kecamatan_progresssnapshot s
            JOIN kecamatan_region r ON r.code = s.region_id AND r.depth = %(unit_depth)s
            WHERE s.as_of = %(as_of)s
        ),
        combined AS (
            SELECT c.ancestor_id AS region_id, u.segment_id,
                   CAST(SUM(u.holders) AS bigint) AS holders,
                   CAST(SUM(u.activated) AS bigint) AS activated,
                   CAST(SUM(u.activated_30d) AS bigint) AS activated_30d,
                   CAST(SUM(u.activated_7d) AS bigint) AS activated_7d,
                   CAST(SUM(u.start_level) AS bigint) AS start_level
            FROM units u
            JOIN kecamatan_regionclosure c ON c.descendant_id = u.region_id AND c.distance > 0
            GROUP BY c.ancestor_id, u.segment_id
        ),
        {
        _targeted_sql(
            slots_values=_slots_sql(slots, params),
            start_level="CASE WHEN t.bp IS NULL THEN NULL ELSE f.start_level END",
            as_of_sql=_dialect()["date"].format("%(as_of)s"),
            regional=any(slot["region"] for slot in slots),
        )
    }
    """
    return sql, params


def _insert_snapshots(cursor, select_sql: str, params: dict, computed_at) -> int:
    columns = ", ".join(SNAPSHOT_COLUMNS)
    cursor.execute(
        f"INSERT INTO kecamatan_progresssnapshot ({columns}, computed_at) "
        f"SELECT {columns}, %(computed_at)s FROM ({select_sql}) AS figures",
        {**params, "computed_at": computed_at},
    )
    return cursor.rowcount


def _tune_for_a_unit(cursor) -> None:
    """A unit aggregates some 300.000 fact rows nationally: sort and hash in memory, and skip
    JIT, whose compile time (~60 ms) outweighs what it saves on a statement this size."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")


def progress_compute_unit(*, unit: str, as_of: dt.date, computed_at: dt.datetime) -> int:
    """Replace the snapshots of `as_of` for every region in one unit (a province or kabupaten),
    in one transaction; returns snapshot rows written. Reads the daily facts as they are."""
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_for_a_unit(cursor)
        params = {"as_of": as_of}
        cursor.execute(
            "DELETE FROM kecamatan_progresssnapshot WHERE as_of = %(as_of)s AND region_id "
            + _in_subtree(unit, params),
            params,
        )
        sql, params = _subtree_sql(as_of=as_of, scope=unit, output=None)
        return _insert_snapshots(cursor, sql, params, computed_at)


def progress_compute_top(*, as_of: dt.date, computed_at: dt.datetime, depth: int) -> int:
    """Snapshots of `as_of` for the regions above the units (at `depth`), summed from them."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM kecamatan_progresssnapshot WHERE as_of = %s AND region_id IN "
            "(SELECT code FROM kecamatan_region WHERE depth < %s)",
            [as_of, depth],
        )
        sql, params = _top_sql(as_of=as_of, depth=depth)
        return _insert_snapshots(cursor, sql, params, computed_at)


def recompute_units() -> list[str]:
    """The units a full recompute is split into, one Celery task each (see unit_depth)."""
    return list(Region.objects.filter(depth=unit_depth()).values_list("code", flat=True))


@dataclass
class RegionProgress:
    """What a page or the API shows for one region: its figures, per segment, and its children."""

    region: Region
    as_of: dt.date
    segment: str | None  # the segment the totals and children are for; None = all
    computed_at: dt.datetime | None
    totals: dict
    segments: list[dict]
    children: list[dict]


def _row_figures(row: dict) -> dict:
    return {name: row[name] for name in PAGE_FIELDS}


def progress_latest_as_of() -> dt.date | None:
    """The latest date a recompute finished for; pages never show a half-written date."""
    latest = RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS).aggregate(
        latest=Max("as_of")
    )["latest"]
    return latest or ProgressSnapshot.objects.aggregate(latest=Max("as_of"))["latest"]


def progress_for_region(
    *,
    region: Region,
    as_of: dt.date | None = None,
    segment: str | None = None,
    children: list[Region] | None = None,
    segment_names: list[tuple[str, str]] | None = None,
    targets: list[Target] | None = None,
) -> RegionProgress | None:
    """Figures for a region, its segments and its children, from the snapshots of `as_of`.

    Without `as_of`, the date of the last finished recompute. A date that was never recomputed
    is computed on the fly from the daily facts (same SQL, nothing written). With `segment`, the
    totals and the children are that segment's figures (the segment table stays whole). None
    when there is nothing to show at all. A page that already has the children, the segments
    or the targets valid on `as_of` passes them in, to save the queries.
    """
    as_of = as_of or progress_latest_as_of()
    if as_of is None:
        return None
    if children is None:
        children = list(region.children.all())
    codes = [region.code, *(c.code for c in children)]
    # The region's rows for every segment, its children's only for the segment shown.
    wanted = Q(region_id=region.code) | (
        Q(segment_id=segment) if segment else Q(segment_id__isnull=True)
    )
    snapshots = list(
        ProgressSnapshot.objects.filter(wanted, as_of=as_of, region_id__in=codes).values(
            *SNAPSHOT_COLUMNS, "computed_at"
        )
    )
    computed_at = max((s["computed_at"] for s in snapshots), default=None)
    if not snapshots:
        snapshots = _figures_live(as_of=as_of, region=region, codes=codes, targets=targets)
    if segment_names is None:
        segment_names = list(Segment.objects.values_list("code", "name"))
    return _assemble(
        region=region,
        children=children,
        as_of=as_of,
        computed_at=computed_at,
        rows=snapshots,
        segment=segment,
        segment_names=segment_names,
    )


def progress_figures(*, scope: Region, as_of: dt.date, codes: list[str]) -> dict[str, dict]:
    """All-segment figures of the regions `codes` under `scope` as of a date, computed from the
    daily facts by the recompute's own statement (nothing written): for reports that need
    regions two levels down or a date that was never recomputed."""
    rows = _figures_live(as_of=as_of, region=scope, codes=codes, targets=None)
    return {r["region_id"]: _row_figures(r) for r in rows if r["segment_id"] is None}


DECIMAL_FIELDS = (
    "percent",
    "target_percent",
    "pace_30d_per_day",
    "needed_per_day",
    "needed_per_month",
    "pace_7d_per_day",
    "needed_per_working_day",
)
DATE_FIELDS = ("target_deadline", "projected_date", "target_valid_from")


def _figures_live(
    *, as_of: dt.date, region: Region, codes: list[str], targets: list[Target] | None
) -> list[dict]:
    sql, params = _subtree_sql(as_of=as_of, scope=region.code, output=codes, targets=targets)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    # SQLite hands back text and floats; give both backends the same Python types.
    for row in rows:
        for name in DATE_FIELDS:
            if isinstance(row[name], str):
                row[name] = dt.date.fromisoformat(row[name])
        for name in DECIMAL_FIELDS:
            if row[name] is not None:
                row[name] = Decimal(str(row[name])).quantize(Decimal("0.01"))
    return rows


def _assemble(
    *,
    region: Region,
    children: list[Region],
    as_of: dt.date,
    computed_at,
    rows: list[dict],
    segment: str | None,
    segment_names: list[tuple[str, str]],
) -> RegionProgress:
    segments = dict(segment_names)  # in the office's order
    children = {c.code: c for c in children}
    empty = dict.fromkeys(PAGE_FIELDS)
    totals, by_segment, by_child = dict(empty), {}, {}
    for row in rows:
        if row["region_id"] == region.code:
            if row["segment_id"] == segment:
                totals = _row_figures(row)
            if row["segment_id"] is not None:
                by_segment[row["segment_id"]] = _row_figures(row)
        elif row["segment_id"] == segment:
            by_child[row["region_id"]] = _row_figures(row)
    return RegionProgress(
        region=region,
        as_of=as_of,
        segment=segment,
        computed_at=computed_at,
        totals=totals,
        segments=[
            {"code": code, "name": name, **by_segment.get(code, empty)}
            for code, name in segments.items()
        ],
        children=[
            {"code": code, "name": child.name, "level": child.level, **by_child.get(code, empty)}
            for code, child in children.items()
        ],
    )


def milestone_status(figures: dict) -> str | None:
    """ "ahead", "behind" or None, against where the straight trajectory says we should be."""
    if figures.get("milestone_people") is None or figures.get("activated") is None:
        return None
    return "ahead" if figures["activated"] >= figures["milestone_people"] else "behind"


def target_milestones(
    *, target: Target, start_level: int, target_people: int
) -> list[tuple[dt.date, int]]:
    """Month-end milestones of the straight line from `start_level` the day before the target
    starts to `target_people` at its deadline (the deadline itself is the last milestone)."""
    start = target.valid_from - dt.timedelta(days=1)
    span = (target.deadline - start).days
    milestones = []
    month = month_start(target.valid_from)
    while True:
        point = min(month_end(month), target.deadline)
        elapsed = (point - start).days
        milestones.append((point, start_level + (target_people - start_level) * elapsed // span))
        if point >= target.deadline:
            return milestones
        month = next_month(month)


@dataclass
class Trend:
    """Cumulative activations per month and the straight line each target version asks for."""

    months: list[dt.date]  # last day of each month, the last one cut at as_of
    cumulative: list[int]
    trajectories: list[dict]  # {"target": Target, "start": (date, people), "end": (date, people)}

    @property
    def monthly(self) -> list[int]:
        """Activations in each month (the first month counts everything up to its end)."""
        return [n - prev for n, prev in zip(self.cumulative, [0, *self.cumulative], strict=False)]


def progress_trend(
    *,
    region: Region,
    as_of: dt.date,
    holders: int,
    segment: str | None = None,
    targets: list[Target] | None = None,
) -> Trend:
    """Monthly cumulative activations of a region (one segment or all) up to `as_of`, from the
    daily facts, and the straight line of each target version for it."""
    in_segment = "AND f.segment_id = %(segment)s" if segment else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT f.day, SUM(f.people)
            FROM kecamatan_activationdaily f
            JOIN kecamatan_regionclosure c ON c.descendant_id = f.region_id
            WHERE c.ancestor_id = %(region)s AND f.day <= %(as_of)s {in_segment}
            GROUP BY f.day
            """,
            {"as_of": as_of, "region": region.code, "segment": segment},
        )
        counts: dict[dt.date, int] = {}
        for day, people in cursor.fetchall():
            day = dt.date.fromisoformat(day) if isinstance(day, str) else day
            counts[month_start(day)] = counts.get(month_start(day), 0) + int(people)
    months, cumulative, running = [], [], 0
    if counts:
        month = min(counts)
        while month <= as_of:
            running += counts.get(month, 0)
            months.append(min(month_end(month), as_of))
            cumulative.append(running)
            month = next_month(month)
    trajectories = []
    if targets is None:
        targets = targets_valid_on(as_of)
    general = [t for t in targets if t.region_id is None and t.valid_from <= as_of]
    # A segment with targets of its own follows them; otherwise the general ones apply.
    own = [t for t in general if segment and t.segment_id == segment]
    versions = own or [t for t in general if t.segment_id is None]
    for target in sorted(versions, key=lambda t: (t.valid_from, t.pk)):
        before = target.valid_from - dt.timedelta(days=1)
        start_level = sum(n for m, n in counts.items() if m <= month_start(before))
        target_people = -(-holders * int(target.percent * 100) // 10000)  # ceiling
        trajectories.append(
            {
                "target": target,
                "start": (before, start_level),
                "end": (target.deadline, target_people),
            }
        )
    return Trend(months=months, cumulative=cumulative, trajectories=trajectories)
