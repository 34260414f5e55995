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
from django.db.models import Max
from django.utils import timezone

from .models import Activation, ProgressSnapshot, Region, Segment, Target

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

# One advisory-lock key for the recompute, so two runs never write the same date at once.
RECOMPUTE_LOCK_KEY = 0x1CD_0001


def today_jakarta() -> dt.date:
    return timezone.localdate()


def progress_data_date() -> dt.date:
    """The date the data runs to: the latest activation, or today when there is none."""
    latest = Activation.objects.aggregate(latest=Max("activated_on"))["latest"]
    return latest or today_jakarta()


def target_in_force(*, on: dt.date, segment_code: str | None = None) -> Target | None:
    """The target version valid on a date: the segment's own if it has one, else the general one."""
    targets = Target.objects.filter(valid_from__lte=on).order_by("-valid_from")
    if segment_code:
        own = targets.filter(segment_id=segment_code).first()
        if own:
            return own
    return targets.filter(segment__isnull=True).first()


def _targets_by_segment(as_of: dt.date) -> dict[str, Target | None]:
    """The target in force for each segment code and for ALL_SEGMENTS, from one query."""
    versions = list(Target.objects.filter(valid_from__lte=as_of).order_by("-valid_from"))
    general = next((t for t in versions if t.segment_id is None), None)
    result = {ALL_SEGMENTS: general}
    for code in Segment.objects.values_list("code", flat=True):
        result[code] = next((t for t in versions if t.segment_id == code), general)
    return result


def _dialect() -> dict[str, str]:
    """The two bits of date SQL that differ between PostgreSQL and SQLite."""
    if connection.vendor == "postgresql":
        return {
            "date": "CAST({} AS date)",
            "add_days": "CAST({date} AS date) + CAST({days} AS integer)",
        }
    return {"date": "{}", "add_days": "date({date}, '+' || CAST({days} AS integer) || ' days')"}


# Who is counted, as (region, segment, day, people) rows up to %(as_of)s: every named activation,
# plus, where a daily recap for a kecamatan says more people activated that day in that segment
# than are named under it, the difference (booked on the kecamatan). Nobody is counted twice.
COUNTED_CTES = """
        named_under_recap AS (
            SELECT r.id AS recap_id, COUNT(a.id) AS named
            FROM kecamatan_activationrecap r
            JOIN kecamatan_regionclosure c ON c.ancestor_id = r.region_id
            JOIN kecamatan_activation a
                ON a.region_id = c.descendant_id AND a.segment_id = r.segment_id
               AND a.activated_on = r.day
            WHERE r.day <= %(as_of)s
            GROUP BY r.id
        ),
        counted AS (
            SELECT a.region_id, a.segment_id, a.activated_on AS day, 1 AS people
            FROM kecamatan_activation a
            WHERE a.activated_on <= %(as_of)s
            UNION ALL
            SELECT r.region_id, r.segment_id, r.day, r.total - COALESCE(n.named, 0)
            FROM kecamatan_activationrecap r
            LEFT JOIN named_under_recap n ON n.recap_id = r.id
            WHERE r.day <= %(as_of)s AND r.total > COALESCE(n.named, 0)
        )"""


def _figures_sql(*, as_of: dt.date, region_codes: list[str] | None = None) -> tuple[str, dict]:
    """One SELECT giving every figure for each (region, segment or ALL_SEGMENTS) as of a date.

    `region_codes` limits it to those regions (a page's region and its children); None is all.
    """
    dialect = _dialect()
    targets = _targets_by_segment(as_of)
    params: dict = {
        "as_of": as_of,
        "since": as_of - dt.timedelta(days=PACE_WINDOW_DAYS),
        "window": PACE_WINDOW_DAYS,
        "horizon": PROJECTION_HORIZON_DAYS,
        "days_per_month": DAYS_PER_MONTH,
    }
    target_rows = []
    for i, (code, target) in enumerate(targets.items()):
        days_left = (target.deadline - as_of).days if target else None
        params.update(
            {
                f"seg{i}": code,
                # Basis points keep the target in people an exact integer ceiling on both backends.
                f"bp{i}": int(target.percent * 100) if target else None,
                f"pct{i}": target.percent if target else None,
                f"deadline{i}": target.deadline if target else None,
                f"days{i}": days_left,
            }
        )
        target_rows.append(
            f"(%(seg{i})s, CAST(%(bp{i})s AS integer), CAST(%(pct{i})s AS numeric), "
            f"{dialect['date'].format(f'%(deadline{i})s')}, CAST(%(days{i})s AS integer))"
        )
    region_filter = ""
    if region_codes is not None:
        names = [f"region{i}" for i in range(len(region_codes))]
        params.update(zip(names, region_codes, strict=True))
        region_filter = "AND c.ancestor_id IN (" + ", ".join(f"%({n})s" for n in names) + ")"
    as_of_sql = dialect["date"].format("%(as_of)s")
    projected_sql = dialect["add_days"].format(
        date="%(as_of)s",
        days="(t.gap_people * %(window)s + t.activated_30d - 1) / t.activated_30d",
    )
    sql = f"""
        WITH targets(segment_id, bp, target_percent, target_deadline, days_left) AS (
            VALUES {", ".join(target_rows)}
        ),
        latest_holders AS (
            SELECT h.region_id, h.segment_id, h.holders,
                   ROW_NUMBER() OVER (
                       PARTITION BY h.region_id, h.segment_id ORDER BY h.valid_from DESC
                   ) AS version
            FROM kecamatan_ktpholdercount h
            WHERE h.valid_from <= %(as_of)s
        ),
        holders AS (
            SELECT c.ancestor_id AS region_id, h.segment_id, SUM(h.holders) AS holders
            FROM latest_holders h
            JOIN kecamatan_regionclosure c ON c.descendant_id = h.region_id
            WHERE h.version = 1 {region_filter}
            GROUP BY c.ancestor_id, h.segment_id
        ),
        {COUNTED_CTES},
        activations AS (
            SELECT c.ancestor_id AS region_id, x.segment_id, SUM(x.people) AS activated,
                   SUM(CASE WHEN x.day > %(since)s THEN x.people ELSE 0 END) AS activated_30d
            FROM counted x
            JOIN kecamatan_regionclosure c ON c.descendant_id = x.region_id
            WHERE 1 = 1 {region_filter}
            GROUP BY c.ancestor_id, x.segment_id
        ),
        per_segment AS (
            SELECT region_id, segment_id,
                   CAST(SUM(holders) AS bigint) AS holders,
                   CAST(SUM(activated) AS bigint) AS activated,
                   CAST(SUM(activated_30d) AS bigint) AS activated_30d
            FROM (
                SELECT region_id, segment_id, holders, 0 AS activated, 0 AS activated_30d
                FROM holders
                UNION ALL
                SELECT region_id, segment_id, 0, activated, activated_30d FROM activations
            ) AS parts
            GROUP BY region_id, segment_id
        ),
        combined AS (
            SELECT region_id, segment_id, holders, activated, activated_30d FROM per_segment
            UNION ALL
            SELECT region_id, '{ALL_SEGMENTS}', CAST(SUM(holders) AS bigint),
                   CAST(SUM(activated) AS bigint), CAST(SUM(activated_30d) AS bigint)
            FROM per_segment GROUP BY region_id
        ),
        with_target AS (
            SELECT f.*, t.target_percent, t.target_deadline, t.days_left,
                   (f.holders * t.bp + 9999) / 10000 AS target_people
            FROM combined f LEFT JOIN targets t ON t.segment_id = f.segment_id
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
               t.holders, t.activated, t.activated_30d,
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
                    THEN {projected_sql}
                    END AS projected_date
        FROM with_gap t
    """
    return sql, params


SNAPSHOT_COLUMNS = [
    "as_of",
    "region_id",
    "segment_id",
    "holders",
    "activated",
    "activated_30d",
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


def progress_recompute(*, as_of: dt.date | None = None) -> int:
    """Replace the snapshots of one date with freshly computed ones; returns rows written.

    One transaction: a run killed halfway leaves the previous figures. Running it twice gives
    the same rows. Two runs at once queue on an advisory lock (PostgreSQL) or the write lock
    (SQLite) instead of interleaving.
    """
    as_of = as_of or progress_data_date()
    started = timezone.now()
    select_sql, params = _figures_sql(as_of=as_of)
    params["computed_at"] = started
    columns = ", ".join(SNAPSHOT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_KEY])
        ProgressSnapshot.objects.filter(as_of=as_of).delete()
        cursor.execute(
            f"INSERT INTO kecamatan_progresssnapshot ({columns}, computed_at) "
            f"SELECT {columns}, %(computed_at)s FROM ({select_sql}) AS figures",
            params,
        )
        written = cursor.rowcount
    log.info(
        "progress recomputed as_of=%s rows=%s seconds=%.2f",
        as_of,
        written,
        (timezone.now() - started).total_seconds(),
    )
    return written


@dataclass
class RegionProgress:
    """What a page or the API shows for one region: its figures, per segment, and its children."""

    region: Region
    as_of: dt.date
    computed_at: dt.datetime | None
    totals: dict
    segments: list[dict]
    children: list[dict]


def _row_figures(row: dict) -> dict:
    return {name: row[name] for name in FIGURE_FIELDS}


def progress_latest_as_of() -> dt.date | None:
    return ProgressSnapshot.objects.aggregate(latest=Max("as_of"))["latest"]


def progress_for_region(*, region: Region, as_of: dt.date | None = None) -> RegionProgress | None:
    """Figures for a region, its segments and its children, from the snapshots of `as_of`.

    Without `as_of`, the latest snapshot date. A date that was never recomputed is computed on
    the fly (same SQL, nothing written). None when there is nothing to show at all.
    """
    as_of = as_of or progress_latest_as_of()
    if as_of is None:
        return None
    children = list(region.children.all())
    child_codes = [c.code for c in children]
    snapshots = list(
        ProgressSnapshot.objects.filter(
            as_of=as_of, region_id__in=[region.code, *child_codes]
        ).values()
    )
    computed_at = max((s["computed_at"] for s in snapshots), default=None)
    if not snapshots:
        snapshots = _figures_live(as_of=as_of, region_codes=[region.code, *child_codes])
    return _assemble(
        region=region, children=children, as_of=as_of, computed_at=computed_at, rows=snapshots
    )


def _figures_live(*, as_of: dt.date, region_codes: list[str]) -> list[dict]:
    sql, params = _figures_sql(as_of=as_of, region_codes=region_codes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    # SQLite hands back text and floats; give both backends the same Python types.
    for row in rows:
        for name in ("target_deadline", "projected_date"):
            if isinstance(row[name], str):
                row[name] = dt.date.fromisoformat(row[name])
        for name in (
            "percent",
            "target_percent",
            "pace_30d_per_day",
            "needed_per_day",
            "needed_per_month",
        ):
            if row[name] is not None:
                row[name] = Decimal(str(row[name])).quantize(Decimal("0.01"))
    return rows


def _assemble(
    *, region: Region, children: list[Region], as_of: dt.date, computed_at, rows: list[dict]
) -> RegionProgress:
    segments = {s.code: s for s in Segment.objects.all()}
    children = {c.code: c for c in children}
    empty = dict.fromkeys(FIGURE_FIELDS)
    totals, by_segment, by_child = dict(empty), {}, {}
    for row in rows:
        if row["region_id"] == region.code:
            if row["segment_id"] is None:
                totals = _row_figures(row)
            else:
                by_segment[row["segment_id"]] = _row_figures(row)
        elif row["segment_id"] is None:
            by_child[row["region_id"]] = _row_figures(row)
    return RegionProgress(
        region=region,
        as_of=as_of,
        computed_at=computed_at,
        totals=totals,
        segments=[
            {"code": code, "name": seg.name, **by_segment.get(code, empty)}
            for code, seg in segments.items()
        ],
        children=[
            {"code": code, "name": child.name, "level": child.level, **by_child.get(code, empty)}
            for code, child in children.items()
        ],
    )


@dataclass
class Trend:
    """Cumulative activations per month and the straight line each target version asks for."""

    months: list[dt.date]  # last day of each month, the last one cut at as_of
    cumulative: list[int]
    trajectories: list[dict]  # {"target": Target, "start": (date, people), "end": (date, people)}


def progress_trend(*, region: Region, as_of: dt.date, holders: int) -> Trend:
    """Monthly cumulative activations of a region up to `as_of`, from one GROUP BY query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH {COUNTED_CTES}
            SELECT x.day, SUM(x.people)
            FROM counted x JOIN kecamatan_regionclosure c ON c.descendant_id = x.region_id
            WHERE c.ancestor_id = %(region)s
            GROUP BY x.day
            """,
            {"as_of": as_of, "region": region.code},
        )
        counts: dict[dt.date, int] = {}
        for day, people in cursor.fetchall():
            day = dt.date.fromisoformat(day) if isinstance(day, str) else day
            month = day.replace(day=1)
            counts[month] = counts.get(month, 0) + int(people)
    months, cumulative, running = [], [], 0
    if counts:
        month = min(counts)
        while month <= as_of:
            running += counts.get(month, 0)
            next_month = (month + dt.timedelta(days=32)).replace(day=1)
            months.append(min(next_month - dt.timedelta(days=1), as_of))
            cumulative.append(running)
            month = next_month
    trajectories = []
    for target in Target.objects.filter(segment__isnull=True, valid_from__lte=as_of).order_by(
        "valid_from"
    ):
        before = target.valid_from - dt.timedelta(days=1)
        start_level = sum(n for m, n in counts.items() if m <= before.replace(day=1))
        target_people = -(-holders * int(target.percent * 100) // 10000)  # ceiling
        trajectories.append(
            {
                "target": target,
                "start": (before, start_level),
                "end": (target.deadline, target_people),
            }
        )
    return Trend(months=months, cumulative=cumulative, trajectories=trajectories)
