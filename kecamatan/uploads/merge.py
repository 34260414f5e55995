"""Merging a staged activation file into the store, set-based: one row per person, the earliest
date wins, and the daily facts of the days and regions it touched move with it.

The file's rows are in a staging table (kecamatan/uploads/load.py). Each person of the file is
looked up in the store once, by the hash index; what that finds decides everything after: the
people the file adds, the people it moves to an earlier date, the counts of the report and the
changes to the daily facts. Nobody is read twice and the facts are never re-read from the
activations, whose size they are there to spare.
"""

from django.utils import timezone

from ..dialect import (
    read_indexes_rebuilt,
    sql_bytewise,
    tables_analyze,
    temp_table_create_as,
    transaction_settings,
)
from ..progress.facts import facts_add_changes
from .notes import note_duplicates, note_stored_conflicts
from .validate import ImportReport

STAGED = "ikd_staged_activation"  # one row per person of the file, beside the stored one
FACT_CHANGES = "ikd_activation_fact_changes"  # (region, segment, day) → people gained or lost


def activations_merge(
    cursor, *, staging: str, report: ImportReport, upload, write: bool = True
) -> None:
    """Write the staged activations (already valid) and the facts they change, and fill the
    report's counts; call inside the import's transaction, with `staging` loaded. Without
    `write` (a check), only the counts."""
    # The file is sorted by hash once; the staging table's statistics decide whether the store
    # is probed or scanned.
    transaction_settings(cursor, work_mem="64MB")
    tables_analyze(cursor, staging)
    if write:
        staged = _stage_people(cursor, staging=staging, ordered=True)
        known, conflicts, earlier = _people_counted(cursor, f"SELECT * FROM {STAGED}")
    else:
        # A check keeps nothing: the people are counted as they stream out of the sort, and only
        # kept (for the notes) when some of them are stored with another date.
        staged, known, conflicts, earlier = _people_counted(
            cursor, _people_sql(staging), count_people=True
        )
        if conflicts:
            _stage_people(cursor, staging=staging, ordered=False)
    report.duplicates_in_file = report.rows_read - report.rows_rejected - staged
    if report.duplicates_in_file:
        # The same NIK twice in one file with different dates is a conflict too.
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT nik_hash FROM {staging} GROUP BY nik_hash "
            f"HAVING COUNT(DISTINCT activated_on) > 1) AS conflicting"
        )
        report.date_conflicts += cursor.fetchone()[0]
        note_duplicates(cursor, report, staging=staging)
    report.rows_known, report.rows_replaced = known, earlier
    report.rows_added = staged - known
    report.date_conflicts += conflicts
    if conflicts:
        note_stored_conflicts(cursor, report, staged=STAGED)
    if earlier:
        # Moving a person to an earlier date takes them off their old region's figures too.
        cursor.execute(
            f"SELECT DISTINCT stored_region FROM {STAGED} WHERE activated_on < stored_on"
        )
        report.touched_regions.update(code for (code,) in cursor.fetchall())
    if write:
        _write(cursor, upload=upload, added=staged - known, earlier=earlier)
    cursor.execute(f"DROP TABLE IF EXISTS {STAGED}")


def _people_counted(cursor, people: str, *, count_people: bool = False) -> tuple[int, ...]:
    """(people,) known to the store, stored with another date, dated earlier by the file."""
    cursor.execute(
        f"""
        SELECT {"COUNT(*)," if count_people else ""} COUNT(stored_id),
               COALESCE(SUM(CASE WHEN stored_on <> activated_on THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN activated_on < stored_on THEN 1 ELSE 0 END), 0)
        FROM ({people}) AS people
        """
    )
    return cursor.fetchone()


def _people_sql(staging: str, *, ordered: bool = False) -> str:
    """One row per NIK of the file — its earliest date there (the first line on a tie) — beside
    the person as stored, if known."""
    return f"""
        SELECT f.line, f.nik_hash, f.activated_on, f.region_id, f.segment_id, f.place,
               a.id AS stored_id, a.activated_on AS stored_on, a.region_id AS stored_region,
               a.segment_id AS stored_segment
        FROM (
            SELECT s.*, ROW_NUMBER() OVER (
                PARTITION BY {sql_bytewise("nik_hash")} ORDER BY activated_on, line
            ) AS copy_number
            FROM {staging} s
        ) f
        LEFT JOIN kecamatan_activation a ON a.nik_hash = f.nik_hash
        WHERE f.copy_number = 1
        {f"ORDER BY {sql_bytewise('f.nik_hash')}" if ordered else ""}
        """


def _stage_people(cursor, *, staging: str, ordered: bool) -> int:
    """STAGED: the file's people (_people_sql); in hash order, so that new people enter the
    hash index in order rather than at random. Returns how many people the file names."""
    cursor.execute(f"DROP TABLE IF EXISTS {STAGED}")
    temp_table_create_as(cursor, STAGED, _people_sql(staging, ordered=ordered))
    if cursor.rowcount >= 0:
        return cursor.rowcount
    cursor.execute(f"SELECT COUNT(*) FROM {STAGED}")  # SQLite does not say
    return cursor.fetchone()[0]


def _write(cursor, *, upload, added: int, earlier: int) -> None:
    """The earliest date wins: people not yet stored are added, people the file dates earlier
    are moved to the file's date, region and place, everyone else is left as stored — and the
    daily facts gain and lose the same people."""
    upload_id = upload.pk if upload else None
    if added:
        # A plain INSERT: a person stored meanwhile would break the unique hash, not be doubled
        # (imports queue on one lock, so nobody is). A first, large file into a small store
        # builds the read indexes after it rather than row by row.
        with read_indexes_rebuilt(cursor, "kecamatan_activation", rows_added=added):
            cursor.execute(
                f"""
                INSERT INTO kecamatan_activation
                    (nik_hash, activated_on, region_id, segment_id, place, upload_id, created_at)
                SELECT nik_hash, activated_on, region_id, segment_id, place, %s, %s
                FROM {STAGED} WHERE stored_id IS NULL
                """,
                [upload_id, timezone.now()],
            )
    if earlier:
        cursor.execute(
            f"""
            UPDATE kecamatan_activation
            SET activated_on = s.activated_on, region_id = s.region_id,
                segment_id = s.segment_id, place = s.place, upload_id = %s
            FROM {STAGED} s
            WHERE kecamatan_activation.id = s.stored_id AND s.activated_on < s.stored_on
            """,
            [upload_id],
        )
    if not (added or earlier):
        return
    # +1 where a person now counts, −1 where a moved person counted before (a second pass over
    # the people only when someone moved).
    moved_from = (
        f"UNION ALL SELECT stored_region, stored_segment, stored_on, -1 FROM {STAGED} "
        "WHERE activated_on < stored_on"
        if earlier
        else ""
    )
    cursor.execute(f"DROP TABLE IF EXISTS {FACT_CHANGES}")
    temp_table_create_as(
        cursor,
        FACT_CHANGES,
        f"""
        SELECT region_id, segment_id, day, SUM(people) AS people FROM (
            SELECT region_id, segment_id, activated_on AS day, 1 AS people
            FROM {STAGED} WHERE stored_id IS NULL OR activated_on < stored_on
            {moved_from}
        ) moves
        GROUP BY region_id, segment_id, day
        HAVING SUM(people) <> 0
        ORDER BY region_id, segment_id, day  -- the facts' unique index, filled in order
        """,
    )
    facts_add_changes(cursor, changes=FACT_CHANGES)
    cursor.execute(f"DROP TABLE {FACT_CHANGES}")
