"""The figures, computed in the database in one statement per unit of work.

For every region at every level, per segment and for all segments together, as of a date: KTP
holders, distinct people activated, percentage, the target in force, the target and the gap in
people, the pace of the last 30 and 7 days, the pace needed (per day, working day and month),
the straight trajectory's milestone, and the projected date at the current pace.

Each builder returns `(sql, params)`: one SELECT that the recompute inserts as snapshots
(progress.runs) and that pages run on the fly for a date never recomputed (progress.selectors).
"""

import datetime as dt
from decimal import Decimal

from ..dialect import sql_add_days, sql_date, sql_in, sql_in_subquery
from ..formulas import (
    days_to_gap_sql,
    gap_people_sql,
    milestone_people_sql,
    per_day_sql,
    per_month_sql,
    percent_sql,
    target_people_sql,
)
from ..models import Region, RegionClosure, Target
from ..vocabulary import PROJECTION_DAYS_AFTER_DEADLINE
from .targets import ALL_SEGMENTS, denominator_of, target_slots

PACE_WINDOW_DAYS = 30
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
# A projected date later than this after the deadline means nothing to a reader ("2079"): it is
# left out, and the pages say the target is not reached by the deadline (vocabulary.py).
PROJECTION_HORIZON_DAYS = PROJECTION_DAYS_AFTER_DEADLINE

# The figures the API gives for a region or segment.
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
# The deepest level (desa, kelurahan). The recompute stores only their all-segment rows: their
# per-segment rows were 910.000 of 1.090.000 a night nationally (20,7 → 12,1 s without them),
# and only a desa's own page and a kecamatan's page filtered by segment read them, which compute
# them from the daily facts instead (progress.selectors).
LEAF_DEPTH = max(Region.DEPTHS.values())
# A target slot (the version in force in one scope) as the statement reads it.
SLOT_KEYS = (
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
)


def _window_params(as_of: dt.date) -> dict:
    return {
        "as_of": as_of,
        "since30": as_of - dt.timedelta(days=PACE_WINDOW_DAYS),
        "since7": as_of - dt.timedelta(days=7),
        "window": PACE_WINDOW_DAYS,
        "horizon": PROJECTION_HORIZON_DAYS,
        "days_per_month": DAYS_PER_MONTH,
    }


def _slots_values(slots: list[dict]) -> tuple[str, dict]:
    """The target slots as a VALUES list (a dummy row when there are none, so SQL stays valid)."""
    rows, params = [], {}
    for i, slot in enumerate(slots):
        params.update({f"t{i}_{key}": slot[key] for key in SLOT_KEYS})
        rows.append(
            f"(%(t{i}_region)s, %(t{i}_segment)s, CAST(%(t{i}_bp)s AS integer), "
            f"CAST(%(t{i}_percent)s AS numeric), {sql_date(f'%(t{i}_valid_from)s')}, "
            f"{sql_date(f'%(t{i}_deadline)s')}, CAST(%(t{i}_days_left)s AS integer), "
            f"CAST(%(t{i}_workdays_left)s AS integer), CAST(%(t{i}_elapsed)s AS integer), "
            f"CAST(%(t{i}_span)s AS integer), CAST(%(t{i}_start_idx)s AS integer))"
        )
    if not rows:
        rows.append(
            f"('-', '-', 0, CAST(0 AS numeric), {sql_date('NULL')}, {sql_date('NULL')}, "
            "0, 0, 0, 1, 0)"
        )
    return ", ".join(rows), params


def _figures_sql(
    *, as_of: dt.date, slots: list[dict], start_level: str
) -> tuple[list[str], str, dict]:
    """Given a CTE `combined` (region_id, segment_id, holders, activated, activated_30d,
    activated_7d, …), pick each row's target and derive every figure: the CTEs to append, the
    final SELECT, and their parameters.

    When no target is set for a region there is at most one version per segment and one
    general version, so each row takes its segment's own or else the general one with a plain
    join, without ranking candidates through the closure table.
    """
    values, params = _slots_values(slots)
    params.update(_window_params(as_of))
    ctes = [
        f"""slots(region_id, segment_id, bp, target_percent, target_valid_from, target_deadline,
              days_left, workdays_left, elapsed, span, start_idx) AS (VALUES {values})"""
    ]
    if any(slot["region"] for slot in slots):
        ctes.append(
            f"""candidates AS (
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
        )"""
        )
        target_join = """LEFT JOIN candidates t
                ON t.region_id = f.region_id AND t.segment_id = f.segment_id AND t.choice = 1"""
    else:
        target_join = f"""LEFT JOIN slots t
                ON t.segment_id = f.segment_id
                   OR (t.segment_id = '{ALL_SEGMENTS}'
                       AND NOT EXISTS (SELECT 1 FROM slots o WHERE o.segment_id = f.segment_id))"""
    ctes.append(
        f"""with_target AS (
            SELECT f.region_id, f.segment_id, f.holders, f.activated, f.activated_30d,
                   f.activated_7d, t.target_percent, t.target_valid_from, t.target_deadline,
                   t.days_left, t.workdays_left, t.elapsed, t.span,
                   {start_level} AS start_level,
                   {target_people_sql("f.holders", "t.bp")} AS target_people
            FROM combined f
            {target_join}
        )"""
    )
    ctes.append(
        f"""with_gap AS (
            SELECT w.*,
                   {gap_people_sql("w.target_people", "w.activated")} AS gap_people
            FROM with_target w
        )"""
    )
    as_of_sql = sql_date("%(as_of)s")
    days_to_target = days_to_gap_sql("t.gap_people", "t.activated_30d", "%(window)s")
    projected = sql_add_days("%(as_of)s", days_to_target)
    select = f"""
        SELECT {as_of_sql} AS as_of,
               t.region_id,
               NULLIF(t.segment_id, '{ALL_SEGMENTS}') AS segment_id,
               t.holders, t.activated, t.activated_30d, t.activated_7d,
               {percent_sql("t.activated", "t.holders")} AS percent,
               t.target_percent, t.target_deadline, t.target_people, t.gap_people,
               {per_day_sql("t.activated_30d", "%(window)s")} AS pace_30d_per_day,
               {per_day_sql("t.gap_people", "t.days_left")} AS needed_per_day,
               {per_month_sql("t.gap_people", "t.days_left", "%(days_per_month)s")}
                   AS needed_per_month,
               CASE WHEN t.gap_people = 0 THEN {as_of_sql}
                    WHEN t.activated_30d > 0
                         AND {days_to_target}
                             <= CASE WHEN t.days_left > 0 THEN t.days_left ELSE 0 END
                                + %(horizon)s
                    THEN {projected}
                    END AS projected_date,
               {per_day_sql("t.activated_7d", "7")} AS pace_7d_per_day,
               {per_day_sql("t.gap_people", "t.workdays_left")} AS needed_per_working_day,
               t.target_valid_from,
               t.start_level,
               {milestone_people_sql("t.start_level", "t.target_people", "t.elapsed", "t.span")}
                   AS milestone_people
        FROM with_gap t
    """
    return ctes, select, params


def in_subtree(scope: str, *, listed: bool = True) -> tuple[str, dict]:
    """`IN (…)` the regions under `scope`. Listed up front (one query more), the planner reads
    each region's rows through the (region, day) index instead of scanning the whole table per
    unit; a page's small subtree does as well with a subquery (dialect.sql_in_subquery)."""
    if not listed:
        subquery = (
            "SELECT sub.descendant_id FROM kecamatan_regionclosure sub"
            " WHERE sub.ancestor_id = %(scope)s"
        )
        return sql_in_subquery(subquery), {"scope": scope}
    codes = RegionClosure.objects.filter(ancestor_id=scope).values_list("descendant_id", flat=True)
    return sql_in("subtree", list(codes))


def subtree_sql(
    *,
    as_of: dt.date,
    scope: str,
    output: list[str] | None,
    targets: list[Target] | None = None,
    leaf_segments: bool = True,
) -> tuple[str, dict]:
    """Every figure for the regions under `scope` (itself included), from facts and holders.

    `output` limits the rows to those regions (a page's region and its children). Without
    `leaf_segments`, the regions at LEAF_DEPTH get only their all-segment rows, as stored.
    """
    in_scope, params = in_subtree(scope, listed=output is None)
    slots, starts = target_slots(as_of, targets)
    # Every count on this date is on the basis of the target in force (progress/targets.py).
    params["basis"] = denominator_of(slots)
    # People activated before each target version started: where its straight line begins.
    before = [f"before{k}" for k in range(len(starts))]
    params.update({f"start{k}": start for k, start in enumerate(starts)})
    before_facts = "".join(
        f", CAST(SUM(CASE WHEN f.day < %(start{k})s THEN f.people ELSE 0 END) AS integer) AS {name}"
        for k, name in enumerate(before)
    )
    before_cols = "".join(f", {name}" for name in before)
    before_zero = "".join(f", 0 AS {name}" for name in before)
    # Counts stay `integer` (what the snapshot stores) on the way up, so each level's SUM is
    # PostgreSQL's fast int4 sum, not a numeric one; `rolled` widens them for the figures.
    before_sum = "".join(f", CAST(SUM({name}) AS integer) AS {name}" for name in before)
    before_wide = "".join(f", CAST({name} AS bigint) AS {name}" for name in before)
    before_total = "".join(f", CAST(SUM({name}) AS bigint) AS {name}" for name in before)
    output_filter = ""
    if output is not None:
        in_output, output_params = sql_in("out", output)
        output_filter = f"WHERE region_id {in_output}"
        params.update(output_params)
    start_level = "CAST(NULL AS bigint)"  # no target started yet: typed, or PostgreSQL reads text
    if starts:
        cases = " ".join(f"WHEN {k} THEN f.{name}" for k, name in enumerate(before))
        start_level = f"CASE t.start_idx {cases} END"

    leaf_facts = f"""leaf_facts AS (
            SELECT f.region_id, f.segment_id, CAST(SUM(f.people) AS integer) AS activated,
                   CAST(SUM(CASE WHEN f.day > %(since30)s THEN f.people ELSE 0 END) AS integer)
                       AS activated_30d,
                   CAST(SUM(CASE WHEN f.day > %(since7)s THEN f.people ELSE 0 END) AS integer)
                       AS activated_7d
                   {before_facts}
            FROM kecamatan_activationdaily f
            WHERE f.region_id {in_scope} AND f.day <= %(as_of)s
            GROUP BY f.region_id, f.segment_id
        )"""
    latest_holders = f"""latest_holders AS (
            SELECT h.region_id, h.segment_id, h.holders,
                   ROW_NUMBER() OVER (
                       PARTITION BY h.region_id, h.segment_id ORDER BY h.valid_from DESC
                   ) AS version
            FROM kecamatan_ktpholdercount h
            WHERE h.region_id {in_scope} AND h.valid_from <= %(as_of)s AND h.basis = %(basis)s
        )"""
    count_names = ["holders", "activated", "activated_30d", "activated_7d", *before]
    counts = "holders, activated, activated_30d, activated_7d"
    summed = (
        "CAST(SUM(holders) AS integer) AS holders, CAST(SUM(activated) AS integer) AS activated,"
        " CAST(SUM(activated_30d) AS integer) AS activated_30d,"
        f" CAST(SUM(activated_7d) AS integer) AS activated_7d {before_sum}"
    )
    tree = f"""tree AS (
            SELECT code, depth, parent_id FROM kecamatan_region WHERE code {in_scope}
        )"""
    # Each region's own counts (holders and facts booked on it), with its depth.
    leaf = f"""leaf AS (
            SELECT parts.region_id, t.depth, parts.segment_id, {summed}
            FROM (
                SELECT region_id, segment_id, holders, 0 AS activated, 0 AS activated_30d,
                       0 AS activated_7d {before_zero}
                FROM latest_holders WHERE version = 1
                UNION ALL
                SELECT region_id, segment_id, 0, activated, activated_30d, activated_7d
                       {before_cols}
                FROM leaf_facts
            ) AS parts
            JOIN tree t ON t.code = parts.region_id
            GROUP BY parts.region_id, t.depth, parts.segment_id
        )"""
    # Up one level at a time, from the deepest: a region's figures are its own counts plus its
    # children's. Each level sums the rows of the level below (~25.000 rows for a province, where
    # joining every region to each of its ancestors summed ~100.000). The scope's own parent is
    # outside the scope: its children stop there.
    levels = []
    for depth in range(LEAF_DEPTH, -1, -1):
        own = (
            f"SELECT region_id, segment_id, {counts} {before_cols} FROM leaf WHERE depth = {depth}"
        )
        if depth == LEAF_DEPTH:  # nothing below: the leaf rows as they are
            levels.append(f"level{depth} AS ({own})")
            continue
        levels.append(
            f"""level{depth} AS (
            SELECT region_id, segment_id, {summed}
            FROM ({own}
                UNION ALL
                SELECT t.parent_id, c.segment_id, {", ".join(f"c.{n}" for n in count_names)}
                FROM level{depth + 1} c JOIN tree t ON t.code = c.region_id
                WHERE c.region_id <> %(scope)s
            ) AS parts
            GROUP BY region_id, segment_id
        )"""
        )
    params["scope"] = scope
    every_level = "\n            UNION ALL\n            ".join(
        f"SELECT region_id, segment_id, CAST(holders AS bigint) AS holders,"
        f" CAST(activated AS bigint) AS activated, CAST(activated_30d AS bigint) AS activated_30d,"
        f" CAST(activated_7d AS bigint) AS activated_7d {before_wide}, {depth} AS depth"
        f" FROM level{depth}"
        for depth in range(LEAF_DEPTH, -1, -1)
    )
    rolled = f"""rolled AS (
            SELECT * FROM (
            {every_level}
            ) AS levels {output_filter}
        )"""
    combined = f"""combined AS (
            SELECT region_id, segment_id, holders, activated, activated_30d, activated_7d
                   {before_cols}
            FROM rolled {"" if leaf_segments else f"WHERE depth < {LEAF_DEPTH}"}
            UNION ALL
            SELECT region_id, '{ALL_SEGMENTS}', CAST(SUM(holders) AS bigint),
                   CAST(SUM(activated) AS bigint), CAST(SUM(activated_30d) AS bigint),
                   CAST(SUM(activated_7d) AS bigint) {before_total}
            FROM rolled GROUP BY region_id
        )"""
    ctes, select, figure_params = _figures_sql(as_of=as_of, slots=slots, start_level=start_level)
    params.update(figure_params)
    rollup = [tree, leaf_facts, latest_holders, leaf, *levels, rolled, combined]
    return "WITH " + ",\n        ".join(rollup + ctes) + select, params


def above_units_sql(*, as_of: dt.date, depth: int) -> tuple[str, dict]:
    """Figures for the regions above the units (province, nation), from the units' snapshots.

    Counts add up exactly; the trajectory's start level above a kabupaten is the sum of the
    kabupaten start levels.
    """
    units = f"""units AS (
            SELECT s.region_id, COALESCE(s.segment_id, '{ALL_SEGMENTS}') AS segment_id,
                   s.holders, s.activated, s.activated_30d, s.activated_7d,
                   COALESCE(s.start_level, 0) AS start_level
            FROM kecamatan_progresssnapshot s
            JOIN kecamatan_region r ON r.code = s.region_id AND r.depth = %(unit_depth)s
            WHERE s.as_of = %(as_of)s
        )"""
    combined = """combined AS (
            SELECT c.ancestor_id AS region_id, u.segment_id,
                   CAST(SUM(u.holders) AS bigint) AS holders,
                   CAST(SUM(u.activated) AS bigint) AS activated,
                   CAST(SUM(u.activated_30d) AS bigint) AS activated_30d,
                   CAST(SUM(u.activated_7d) AS bigint) AS activated_7d,
                   CAST(SUM(u.start_level) AS bigint) AS start_level
            FROM units u
            JOIN kecamatan_regionclosure c ON c.descendant_id = u.region_id AND c.distance > 0
            GROUP BY c.ancestor_id, u.segment_id
        )"""
    slots, _starts = target_slots(as_of)
    ctes, select, params = _figures_sql(
        as_of=as_of,
        slots=slots,
        start_level="CASE WHEN t.bp IS NULL THEN NULL ELSE f.start_level END",
    )
    params["unit_depth"] = depth
    return "WITH " + ",\n        ".join([units, combined, *ctes]) + select, params
