"""What pages, the API and reports read: a region's figures as of a date (from the snapshots,
or computed on the fly for a date never recomputed), the data date, and the monthly trend."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Max

from ikd_dashboard.dates import month_end, month_start, next_month, today_jakarta

from ..dialect import date_from_db, datetime_from_db, is_postgresql, sql_in
from ..formulas import EXACT, basis_points, target_people
from ..models import (
    Activation,
    ActivationRecap,
    Basis,
    ProgressSnapshot,
    RecomputeRun,
    Region,
    Segment,
    Target,
)
from .compute import LEAF_DEPTH, PAGE_FIELDS, SNAPSHOT_COLUMNS, in_subtree, subtree_sql
from .datadate import data_complete_date
from .targets import denominator_on, targets_valid_on


def progress_data_date() -> dt.date:
    """The date every figure is computed for: the last day every kecamatan has reported
    ("data lengkap s.d.", progress.datadate); without any, the latest activation or recap, or
    today when there is no data at all."""
    return data_latest_date() or today_jakarta()


def data_latest_date() -> dt.date | None:
    """The data date, or the latest activation or recap without one; None with no data."""
    complete = data_complete_date()
    if complete:
        return complete
    latest = [
        Activation.objects.aggregate(latest=Max("activated_on"))["latest"],
        ActivationRecap.objects.aggregate(latest=Max("day"))["latest"],
    ]
    return max((d for d in latest if d), default=None)


def activations_between(*, region: Region, first: dt.date, last: dt.date) -> int:
    """People who activated in a region from `first` to `last` (both included), from the facts."""
    in_region, params = in_subtree(region.code, listed=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COALESCE(SUM(f.people), 0)
            FROM kecamatan_activationdaily f
            WHERE f.region_id {in_region} AND f.day >= %(first)s AND f.day <= %(last)s
            """,
            {**params, "first": first, "last": last},
        )
        return int(cursor.fetchone()[0])


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
    # For a restricted viewer: the segments shown only together (progress/disclosure.py).
    combined: dict | None = None
    # What every count of holders and percentage on `as_of` is of (Basis: perekaman, wajib_ktp,
    # penduduk): the basis of the target in force (progress/targets.py, denominator_of).
    denominator: str = Basis.PEREKAMAN


def _row_figures(row: dict, denominator: str | None = None) -> dict:
    figures = {name: row[name] for name in PAGE_FIELDS}
    if denominator:
        figures["denominator"] = denominator
    return figures


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
    snapshots = _snapshots(as_of=as_of, region=region, codes=codes, segment=segment)
    computed_at = max((s["computed_at"] for s in snapshots), default=None)
    # A desa's segments are not stored (compute.LEAF_DEPTH): a page that shows them computes
    # all its figures from the facts, so that they add up on the page. They are what the
    # recompute of that date gave, unless activations of that date came in after it.
    leaf_segments = region.depth == LEAF_DEPTH or (
        segment is not None and any(c.depth == LEAF_DEPTH for c in children)
    )
    if not snapshots or leaf_segments:
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
        denominator=denominator_on(as_of, targets),
    )


def progress_figures(*, scope: Region, as_of: dt.date, codes: list[str]) -> dict[str, dict]:
    """All-segment figures of the regions `codes` under `scope` as of a date, computed from the
    daily facts by the recompute's own statement (nothing written): for reports that need
    regions two levels down or a date that was never recomputed."""
    rows = _figures_live(as_of=as_of, region=scope, codes=codes, targets=None)
    return {r["region_id"]: _row_figures(r) for r in rows if r["segment_id"] is None}


def figures_by_segment(*, scope: Region, as_of: dt.date, codes: list[str]) -> dict:
    """Per region of `codes`, for all segments (None) and each segment: holders, activated and
    people still needed on `as_of`, on the basis in force then, from the daily facts (a desa's
    segments are never stored) in one statement: {(code, segment): figures}."""
    rows = _figures_live(as_of=as_of, region=scope, codes=codes, targets=None)
    return {
        (r["region_id"], r["segment_id"]): {
            "holders": int(r["holders"] or 0),
            "activated": int(r["activated"] or 0),
            "gap_people": r["gap_people"],
        }
        for r in rows
    }


def activations_in_windows(*, region: Region, last: dt.date, windows: tuple[int, ...]) -> dict:
    """People who activated in a region in each of the `windows` (days) ending on `last`, in
    one pass over the facts: {days: people}."""
    in_region, params = in_subtree(region.code, listed=False)
    sums = ", ".join(
        f"COALESCE(SUM(CASE WHEN f.day >= %(first_{days})s THEN f.people END), 0)"
        for days in windows
    )
    firsts = {f"first_{days}": last - dt.timedelta(days=days - 1) for days in windows}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {sums}
            FROM kecamatan_activationdaily f
            WHERE f.region_id {in_region} AND f.day >= %(first)s AND f.day <= %(last)s
            """,
            {**params, **firsts, "first": min(firsts.values()), "last": last},
        )
        return dict(zip(windows, (int(n) for n in cursor.fetchone()), strict=True))


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


def _snapshots(*, as_of: dt.date, region: Region, codes: list[str], segment: str | None):
    """The stored rows of `as_of` a page shows: the region's for every segment, its children's
    for the segment shown. Every cold page reads them: as SQL, 0,5 ms; through the ORM, which
    builds the statement for each request, 1,2 ms."""
    in_codes, params = sql_in("codes", codes)
    segment_shown = "= %(segment)s" if segment else "IS NULL"
    sql = (
        f"SELECT {', '.join(SNAPSHOT_COLUMNS)}, computed_at "
        f"FROM {ProgressSnapshot._meta.db_table} "
        f"WHERE as_of = %(as_of)s AND region_id {in_codes} "
        f"AND (region_id = %(region)s OR segment_id {segment_shown})"
    )
    params.update(as_of=as_of, region=region.code, segment=segment)
    return _rows(sql, params, computed=False)


def _figures_live(
    *, as_of: dt.date, region: Region, codes: list[str], targets: list[Target] | None
) -> list[dict]:
    sql, params = subtree_sql(as_of=as_of, scope=region.code, output=codes, targets=targets)
    return _rows(sql, params, computed=True)


def _rows(sql: str, params, *, computed: bool) -> list[dict]:
    """A statement's rows as dicts with the same Python types on both backends: SQLite hands
    back text and floats. Figures `computed` in the statement are rounded as stored ones are."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    if is_postgresql() and not computed:
        return rows  # the columns' own types
    for row in rows:
        for name in DATE_FIELDS:
            row[name] = date_from_db(row[name])
        for name in DECIMAL_FIELDS:
            if row[name] is not None:
                places = Decimal("0.01") if name == "target_percent" else EXACT
                row[name] = Decimal(str(row[name])).quantize(places)
        if "as_of" in row:
            row["as_of"] = date_from_db(row["as_of"])
        if "computed_at" in row:
            row["computed_at"] = datetime_from_db(row["computed_at"])
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
    denominator: str,
) -> RegionProgress:
    segments = dict(segment_names)  # in the office's order
    children = {c.code: c for c in children}
    empty = {**dict.fromkeys(PAGE_FIELDS), "denominator": denominator}
    totals, by_segment, by_child = dict(empty), {}, {}
    for row in rows:
        if row["region_id"] == region.code:
            if row["segment_id"] == segment:
                totals = _row_figures(row, denominator)
            if row["segment_id"] is not None:
                by_segment[row["segment_id"]] = _row_figures(row, denominator)
        elif row["segment_id"] == segment:
            by_child[row["region_id"]] = _row_figures(row, denominator)
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
        denominator=denominator,
    )


def milestone_status(figures: dict) -> str | None:
    """ "ahead", "behind" or None, against where the straight trajectory says we should be."""
    if figures.get("milestone_people") is None or figures.get("activated") is None:
        return None
    return "ahead" if figures["activated"] >= figures["milestone_people"] else "behind"


def people_by_month(days) -> dict[dt.date, int]:
    """(day, people) rows as people per month (keyed by the month's first day).

    Summed under (year, month) and dated once per month: a trend reads ~800 days, and a date
    built per row was 0,5 ms of each cold page (now 0,16 ms)."""
    by_month: dict[tuple[int, int], int] = {}
    for day, people in days:
        day = date_from_db(day)
        key = (day.year, day.month)
        by_month[key] = by_month.get(key, 0) + people
    return {dt.date(year, month, 1): int(n) for (year, month), n in by_month.items()}


def cumulative_by_month(
    counts: dict[dt.date, int], *, as_of: dt.date
) -> tuple[list[dt.date], list[int]]:
    """Month ends (the last cut at `as_of`) from the first month with people, and the running
    total at each."""
    months, cumulative, running = [], [], 0
    if counts:
        month = min(counts)
        while month <= as_of:
            running += counts.get(month, 0)
            months.append(min(month_end(month), as_of))
            cumulative.append(running)
            month = next_month(month)
    return months, cumulative


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


def _is_whole_tree(cursor, region: Region) -> bool:
    """True when every region is under `region`: a root, and the only one (two kabupaten loaded
    without their province are two roots)."""
    if region.parent_id is not None:
        return False
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {Region._meta.db_table} "
        "WHERE parent_id IS NULL AND code <> %s)",
        [region.code],
    )
    return not cursor.fetchone()[0]


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
        if _is_whole_tree(cursor, region):
            # Every fact is under it: testing each fact's region took 1 of the 4 ms of the
            # kabupaten's trend (18.000 facts), the busiest page's heaviest statement.
            in_region, params = "IS NOT NULL", {}
        else:
            in_region, params = in_subtree(region.code, listed=False)
        cursor.execute(
            f"""
            SELECT f.day, SUM(f.people)
            FROM kecamatan_activationdaily f
            WHERE f.region_id {in_region} AND f.day <= %(as_of)s {in_segment}
            GROUP BY f.day
            """,
            {**params, "as_of": as_of, "segment": segment},
        )
        counts = people_by_month(cursor.fetchall())
    months, cumulative = cumulative_by_month(counts, as_of=as_of)
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
        people = target_people(holders, basis_points(target.percent))
        trajectories.append(
            {
                "target": target,
                # Already above the target when it began (ASN in Weru): the line is flat at the
                # target, as the milestone is (formulas.milestone_people), never falling to it.
                "start": (before, min(start_level, people)),
                "end": (target.deadline, people),
            }
        )
    return Trend(months=months, cumulative=cumulative, trajectories=trajectories)
