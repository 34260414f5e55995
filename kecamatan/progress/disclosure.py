"""Small counts, protected in one place for every viewer who does not answer for the data (Staf,
and anyone without the Pimpinan or Admin role): pages, the API, downloads, report pages and
files, chart data all take their figures through this module.

The rule (docs/privacy.md has the reasons): a segment whose count of KTP holders is 1–4 in any
region of a level — a desa, a kecamatan, the kabupaten — or that has activations there but no
holders, is **never shown on its own at that level**: for every region of the level it is shown
only combined with the other such segments (at least two, and never fewer than five people
together), while the region's total stays exact. Because a segment is either shown for every
region of a level or for none, and at every date alike, no subtraction (total − the other
segments, kecamatan − its other desa, this month − last month) isolates a small count: each sum
a restricted viewer can form still holds two or more hidden cells, in a table with at least two
rows and two columns. Admin and Pimpinan see every number.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import connection

from ..accounts.access import user_is_admin, user_roles
from ..accounts.roles import PIMPINAN
from ..dialect import date_from_db
from ..formulas import percent
from ..models import Basis, Region
from ..pagecache import TIMEOUT_SECONDS, generation_memo, pages_generation
from .selectors import RegionProgress

SMALL = 5
HIDDEN = "•"  # what a page or a file shows for a count shown only combined
# Everything that could give a hidden count back: the counts and every figure derived from them.
HIDDEN_FIELDS = (
    "holders",
    "activated",
    "percent",
    "target_people",
    "gap_people",
    "pace_30d_per_day",
    "pace_7d_per_day",
    "needed_per_day",
    "needed_per_month",
    "needed_per_working_day",
    "projected_date",
    "start_level",
    "milestone_people",
)


def sees_small_counts(user) -> bool:
    return user_is_admin(user) or PIMPINAN in user_roles(user)


@dataclass(frozen=True)
class Combined:
    """Per region depth (2 kabupaten, 3 kecamatan, 4 desa…), the segments a restricted viewer
    sees only together."""

    by_depth: dict[int, tuple[str, ...]]

    def at(self, depth: int) -> tuple[str, ...]:
        return self.by_depth.get(depth, ())


def combined_segments(generation: int | None = None) -> Combined:
    """The combined segments for the data as it is now: worked out once per generation of the
    figures (any recompute, target or region change starts a new one, see pagecache), shared
    through the cache and kept in each worker's memory."""
    generation = generation or pages_generation()

    def shared() -> Combined:
        key = f"ikd:privacy:combined:{generation}"
        combined = cache.get(key)
        if combined is None:
            combined = Combined(by_depth=_combined_by_depth())
            cache.set(key, combined, TIMEOUT_SECONDS)
        return combined

    return generation_memo("combined-segments", generation, shared)


def _combined_by_depth() -> dict[int, tuple[str, ...]]:
    return _combined_groups(*_level_cells())


@dataclass(frozen=True)
class _Levels:
    depths: list[int]  # every depth that has a cell
    segments: list[str]  # every segment that has a cell
    population: dict[str, int]  # segment → its holders at the top level, to pick fillers


def _combined_groups(cells: dict, levels: _Levels) -> dict[int, tuple[str, ...]]:
    """Per depth, from the desa up, the small segments of that level, plus fillers (the least
    populous first) until no group of them is small anywhere on the level."""
    by_depth: dict[int, set[str]] = {}
    for depth in sorted(levels.depths, reverse=True):  # desa first
        group = {s for (d, cell, s), counts in cells.items() if d == depth and _small(counts)}
        deeper = by_depth.get(depth + 1, set())
        while group and (len(group) < 2 or _group_small(cells, depth, group)):
            rest = [s for s in levels.segments if s not in group]
            if not rest:
                break
            # A filler already combined one level down cannot be summed back from there.
            filler = min(rest, key=lambda s: (s not in deeper, levels.population.get(s, 0), s))
            group.add(filler)
            for below in by_depth:
                if below > depth:
                    by_depth[below].add(filler)
        by_depth[depth] = group
    return {depth: tuple(sorted(group)) for depth, group in by_depth.items() if group}


def _level_cells() -> tuple[dict, _Levels]:
    """{(depth, cell, segment): {"holders": [count per holder version], "activated": n}} for the
    cells where some segment is small, with every segment of such a cell — no group of
    segments can be small where none of them is — and what the choice of fillers needs.

    A cell is a region, or the people booked on a region that has children (a kecamatan's
    recap, a kabupaten-wide headcount) as a cell of their own one level down: such a cell is
    what "the region minus its children" gives back. Summed in the database, in one query:
    nationally that is millions of (region, ancestor) pairs, which Python took minutes over.
    """
    # Each basis of the counts (pemilik KTP-el, wajib KTP…) is a population of its own: its
    # versions are checked apart, and a segment small on any basis is small.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT basis FROM kecamatan_ktpholdercount ORDER BY basis")
        bases = [basis for (basis,) in cursor.fetchall()] or [Basis.PEREKAMAN]
        runs = []
        for basis in bases:
            cursor.execute(_CELLS_SQL, {"small": SMALL, "basis": basis})
            runs.append((basis, cursor.fetchall()))
    epochs = sorted(
        (basis, date_from_db(epoch))
        for basis, rows in runs
        for kind, *_r, epoch, _h, _a in rows
        if kind == "epoch"
    )
    index = {epoch: i for i, epoch in enumerate(epochs)}
    cells: dict = defaultdict(lambda: {"holders": [0] * len(epochs), "activated": 0})
    depths, population = [], {}
    first = runs[0][0]
    rows = [(basis, row) for basis, rows in runs for row in rows]
    for basis, (kind, depth, cell, segment, epoch, holders, activated) in rows:
        if kind == "cell":
            counts = cells[(depth, cell, segment)]
            if epoch is None:
                if basis == first:  # the activations are the same in every run
                    counts["activated"] += int(activated)
            else:
                counts["holders"][index[(basis, date_from_db(epoch))]] += int(holders)
        elif kind == "depth" and depth not in depths:
            depths.append(depth)
        elif kind == "segment":
            population[segment] = max(population.get(segment, 0), int(holders))
    return cells, _Levels(depths=depths, segments=sorted(population), population=population)


# Each region's holders in each holder version (the latest version on or before it) and its
# activations, added to each cell they count in; a segment is small in a cell (_small) when
# some version has 1–4 holders, or when it has activations and some version has no holders.
# Out come the flagged cells' rows, the versions, the depths, and per segment its most holders
# in any version summed over the top level's cells (the fillers' order).
_CELLS_SQL = """
    WITH epochs AS (
        SELECT DISTINCT valid_from AS epoch FROM kecamatan_ktpholdercount WHERE basis = %(basis)s
    ),
    versions AS (
        SELECT e.epoch, h.region_id, h.segment_id, h.holders,
               ROW_NUMBER() OVER (
                   PARTITION BY e.epoch, h.region_id, h.segment_id ORDER BY h.valid_from DESC
               ) AS version
        FROM epochs e
        JOIN kecamatan_ktpholdercount h ON h.valid_from <= e.epoch AND h.basis = %(basis)s
    ),
    booked AS (
        SELECT region_id, segment_id, epoch, holders, 0 AS activated
        FROM versions WHERE version = 1
        UNION ALL
        SELECT region_id, segment_id, NULL, 0, SUM(people)
        FROM kecamatan_activationdaily GROUP BY region_id, segment_id
    ),
    targets AS (
        SELECT c.descendant_id AS booked, r.depth, c.ancestor_id AS cell
        FROM kecamatan_regionclosure c JOIN kecamatan_region r ON r.code = c.ancestor_id
        UNION ALL
        SELECT p.code, p.depth + 1, p.code || ':own' FROM kecamatan_region p
        WHERE EXISTS (SELECT 1 FROM kecamatan_region ch WHERE ch.parent_id = p.code)
    ),
    cells AS (
        SELECT t.depth, t.cell, b.segment_id, b.epoch,
               SUM(b.holders) AS holders, SUM(b.activated) AS activated
        FROM booked b JOIN targets t ON t.booked = b.region_id
        GROUP BY t.depth, t.cell, b.segment_id, b.epoch
    ),
    segments AS (
        SELECT depth, cell, segment_id,
               SUM(CASE WHEN epoch IS NULL THEN activated ELSE 0 END) AS activated,
               SUM(CASE WHEN holders > 0 AND holders < %(small)s THEN 1 ELSE 0 END)
                   AS small_versions,
               SUM(CASE WHEN epoch IS NOT NULL AND holders > 0 THEN 1 ELSE 0 END)
                   AS held_versions
        FROM cells GROUP BY depth, cell, segment_id
    ),
    flagged AS (
        SELECT DISTINCT depth, cell FROM segments
        WHERE small_versions > 0
           OR (activated > 0 AND held_versions < (SELECT COUNT(*) FROM epochs))
    ),
    top AS (
        SELECT segment_id, MAX(holders) AS most FROM cells
        WHERE depth = (SELECT MIN(depth) FROM cells) GROUP BY cell, segment_id
    )
    SELECT 'cell' AS kind, c.depth, c.cell, c.segment_id, c.epoch, c.holders, c.activated
    FROM cells c JOIN flagged f ON f.depth = c.depth AND f.cell = c.cell
    UNION ALL
    SELECT 'epoch', NULL, NULL, NULL, epoch, NULL, NULL FROM epochs
    UNION ALL
    SELECT 'depth', d.depth, NULL, NULL, NULL, NULL, NULL
    FROM (SELECT DISTINCT depth FROM cells) d
    UNION ALL
    SELECT 'segment', NULL, NULL, p.segment_id, NULL, p.most, NULL
    FROM (
        SELECT s.segment_id, COALESCE(SUM(t.most), 0) AS most
        FROM (SELECT DISTINCT segment_id FROM cells) s
        LEFT JOIN top t ON t.segment_id = s.segment_id
        GROUP BY s.segment_id
    ) p
"""


def _small(counts: dict) -> bool:
    """Fewer than five people in some holder version, or activations and no known holders."""
    return any(0 < h < SMALL or (h == 0 and counts["activated"]) for h in counts["holders"])


def _group_small(cells: dict, depth: int, group: set[str]) -> bool:
    together: dict = {}
    for (d, cell, segment), counts in cells.items():
        if d == depth and segment in group:
            total = together.setdefault(
                cell, {"holders": [0] * len(counts["holders"]), "activated": 0}
            )
            total["holders"] = [a + b for a, b in zip(total["holders"], counts["holders"])]  # noqa: B905
            total["activated"] += counts["activated"]
    return any(_small(counts) for counts in together.values())


# --- applying the rule ----------------------------------------------------------------------


def hidden_cell(figures: dict, shown_as: str | None = HIDDEN) -> dict:
    """A cell's figures with its counts and everything derived from them hidden."""
    return {
        **figures,
        **dict.fromkeys(HIDDEN_FIELDS),
        "holders": shown_as,
        "activated": shown_as,
        "masked": True,
    }


def combined_cell(rows: list[dict], codes: tuple[str, ...]) -> dict | None:
    """The segments `codes` together: holders, activated and percent of their sum."""
    members = [r for r in rows if r["code"] in codes]
    if not members:
        return None
    holders = sum(r["holders"] or 0 for r in members)
    activated = sum(r["activated"] or 0 for r in members)
    return {
        "codes": [r["code"] for r in members],
        "name": ", ".join(r["name"] for r in members),
        "holders": holders,
        "activated": activated,
        "percent": percent(activated, holders),
    }


def progress_for_viewer(
    progress: RegionProgress | None,
    *,
    user,
    shown_as: str | None = HIDDEN,
    generation: int | None = None,
) -> RegionProgress | None:
    """The progress as this user may see it (unchanged for Admin and Pimpinan). Pages and files
    show a hidden count as "•"; the API gives null (shown_as=None) so its numbers stay numbers."""
    if progress is None or sees_small_counts(user):
        return progress
    combined = combined_segments(generation)
    here, below = combined.at(progress.region.depth), combined.at(progress.region.depth + 1)
    totals, children = progress.totals, progress.children
    if progress.segment and progress.segment in here:
        totals = hidden_cell(totals, shown_as)
    if progress.segment and progress.segment in below:
        children = [hidden_cell(c, shown_as) for c in children]
    segments = [hidden_cell(s, shown_as) if s["code"] in here else s for s in progress.segments]
    return replace(
        progress,
        totals=totals,
        segments=segments,
        children=children,
        combined=combined_cell(progress.segments, here),
    )


def report_figures_for_viewer(figures: dict, *, user) -> dict:
    """A month's report figures as this user may see them: at the report's own level, the
    segment table combines the small segments; kecamatan and desa rows are all-segment totals."""
    if sees_small_counts(user):
        return figures
    depth = Region.objects.filter(code=figures["region"]["code"]).values_list("depth", flat=True)
    here = combined_segments().at(depth.first() or 0)
    shown = {
        **figures,
        "segments": [hidden_cell(s) if s["code"] in here else s for s in figures["segments"]],
        "combined": combined_cell(figures["segments"], here),
    }
    if figures.get("institutions"):
        behind = figures["institutions"]["behind"]
        shown["institutions"] = {
            **figures["institutions"],
            "behind": institutions_for_viewer(behind, user=user).rows,
        }
    return shown


# --- institutions -----------------------------------------------------------------------------

SMALL_SHOWN_AS = "<5"
# An institution's counts and every figure derived from them.
INSTITUTION_COUNTS = (
    "members",
    "members_counted",
    "activated",
    "outside",
    "percent",
    "target_people",
    "gap_people",
)
TOTALLED = ("members", "members_counted", "activated", "outside", "target_people", "gap_people")


@dataclass(frozen=True)
class InstitutionTable:
    """Institutions as one viewer may see them, with the only totals anyone is given: sums of
    the rows whose counts are shown (a hidden institution is in no total, so no total minus
    the rows shown gives it back)."""

    rows: list[dict]
    totals: dict
    by_kind: list[dict]
    hidden: int  # institutions shown as "<5", in no total


def institutions_for_viewer(
    rows: list[dict], *, user, shown_as: str | None = SMALL_SHOWN_AS
) -> InstitutionTable:
    """Institutions with 1–4 members are shown to a viewer without the Pimpinan or Admin role
    as "<5" (the API gives null: shown_as=None), with nothing derived from their counts, and
    left out of every total, per kind, per region, on every date (docs/privacy.md)."""
    if not sees_small_counts(user):
        rows = [
            {**r, **dict.fromkeys(INSTITUTION_COUNTS), "members": shown_as, "masked": True}
            if 0 < (r["members"] or 0) < SMALL
            else r
            for r in rows
        ]
    shown = [r for r in rows if not r.get("masked")]
    kinds = {}
    for row in shown:
        label = row.get("kind_label", row["kind"])
        kinds.setdefault(row["kind"], {"kind": row["kind"], "kind_label": label})
    return InstitutionTable(
        rows=rows,
        totals=_institution_sum(shown),
        by_kind=[
            {**label, **_institution_sum([r for r in shown if r["kind"] == kind])}
            for kind, label in sorted(kinds.items())
        ],
        hidden=len(rows) - len(shown),
    )


def _institution_sum(rows: list[dict]) -> dict:
    totals = {name: sum(r[name] or 0 for r in rows) for name in TOTALLED}
    share = percent(totals["activated"], totals["members_counted"])
    return {**totals, "institutions": len(rows), "percent": share}
