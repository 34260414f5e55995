"""Daily facts: who is counted, per region, segment and day — rebuilt set-based for a subtree.

Named activations count one each on their own region. A daily recap for a kecamatan counts as a
floor: when it says more people activated that day in that segment than are named under the
kecamatan, the difference is booked on the kecamatan. Nobody is counted twice.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from ..dialect import (
    copy_csv_into,
    sql_greatest,
    temp_table_create,
    temp_table_create_as,
)


def facts_refresh(*, scope: str | None) -> int:
    """Rebuild the facts of every region under `scope` (a region code; None = everything).

    Call inside the transaction that also writes what reads the facts.
    Returns the number of fact rows written.
    """
    params = {"scope": scope}
    # Joins on the closure's indexed columns, so a kabupaten reads only its own rows.
    if scope is None:
        regions = "kecamatan_region sc"
        region_col = "sc.code"
    else:
        regions = "kecamatan_regionclosure sc"
        region_col = "sc.descendant_id"
    where_scope = "sc.ancestor_id = %(scope)s" if scope else "1 = 1"
    with connection.cursor() as cursor:
        if scope is None:
            cursor.execute("DELETE FROM kecamatan_activationdaily")
        else:
            cursor.execute(
                "DELETE FROM kecamatan_activationdaily WHERE region_id IN (SELECT descendant_id "
                "FROM kecamatan_regionclosure WHERE ancestor_id = %(scope)s)",
                params,
            )
        cursor.execute(
            f"""
            WITH named_under_recap AS (
                SELECT r.id AS recap_id, COUNT(a.id) AS named
                FROM {regions}
                JOIN kecamatan_activationrecap r ON r.region_id = {region_col}
                JOIN kecamatan_regionclosure c ON c.ancestor_id = r.region_id
                JOIN kecamatan_activation a
                    ON a.region_id = c.descendant_id AND a.segment_id = r.segment_id
                   AND a.activated_on = r.day
                WHERE {where_scope}
                GROUP BY r.id
            ),
            counted AS (
                SELECT a.region_id, a.segment_id, a.activated_on AS day, 1 AS people
                FROM {regions}
                JOIN kecamatan_activation a ON a.region_id = {region_col}
                WHERE {where_scope}
                UNION ALL
                SELECT r.region_id, r.segment_id, r.day, r.total - COALESCE(n.named, 0)
                FROM {regions}
                JOIN kecamatan_activationrecap r ON r.region_id = {region_col}
                LEFT JOIN named_under_recap n ON n.recap_id = r.id
                WHERE {where_scope} AND r.total > COALESCE(n.named, 0)
            )
            INSERT INTO kecamatan_activationdaily (region_id, segment_id, day, people)
            SELECT region_id, segment_id, day, SUM(people)
            FROM counted
            GROUP BY region_id, segment_id, day
            ORDER BY region_id, day  -- stored in region order: a subtree reads contiguous pages
            """,
            params,
        )
        return cursor.rowcount


# --- kept up to date by the imports, from what they changed ------------------------------------
# An import knows which people it added or moved; it changes the facts by exactly that, in its
# own transaction, instead of re-reading a region's activations. facts_refresh above stays the
# reference (the nightly run, a full rebuild) and the tests hold the two equal.

RECAP_KEYS = "ikd_recap_fact_keys"
_FACT_KEY = (
    "kecamatan_activationdaily.region_id = c.region_id "
    "AND kecamatan_activationdaily.segment_id = c.segment_id "
    "AND kecamatan_activationdaily.day = c.day"
)


def facts_add_changes(cursor, *, changes: str) -> None:
    """Add a table of changes — (region_id, segment_id, day, people), people the named
    activations gained (+) or lost (−) there — to the facts, then recount the recaps the
    changes fall under. Call in the transaction that changed the activations."""
    # Facts that exist gain their people, then the missing ones are inserted: two plain
    # statements, a fifth faster than one INSERT … ON CONFLICT, whose speculative insertion
    # costs a probe and a lock per row (one import at a time, so nothing comes in between).
    cursor.execute(
        f"""
        UPDATE kecamatan_activationdaily SET people = kecamatan_activationdaily.people + c.people
        FROM {changes} c WHERE {_FACT_KEY} AND c.people > 0
        """
    )
    cursor.execute(
        f"""
        INSERT INTO kecamatan_activationdaily (region_id, segment_id, day, people)
        SELECT region_id, segment_id, day, people FROM {changes} c
        WHERE people > 0
          AND NOT EXISTS (SELECT 1 FROM kecamatan_activationdaily WHERE {_FACT_KEY})
        """
    )
    cursor.execute(f"SELECT COUNT(*) FROM {changes} WHERE people < 0")
    if cursor.fetchone()[0]:
        # Never below zero: facts left behind by an older version are rebuilt each night.
        floor = sql_greatest()
        cursor.execute(
            f"""
            UPDATE kecamatan_activationdaily
            SET people = {floor}(kecamatan_activationdaily.people + c.people, 0)
            FROM {changes} c WHERE {_FACT_KEY} AND c.people < 0
            """
        )
        cursor.execute(
            f"""
            DELETE FROM kecamatan_activationdaily WHERE people = 0 AND EXISTS (
                SELECT 1 FROM {changes} c WHERE {_FACT_KEY} AND c.people < 0)
            """
        )
    # A recap is a floor over the names under its kecamatan: where names came or went under
    # one, its fact is recounted.
    cursor.execute(f"DROP TABLE IF EXISTS {RECAP_KEYS}")
    temp_table_create_as(
        cursor,
        RECAP_KEYS,
        f"""
        SELECT DISTINCT r.region_id, r.segment_id, r.day
        FROM {changes} c
        JOIN kecamatan_regionclosure up ON up.descendant_id = c.region_id
        JOIN kecamatan_activationrecap r
            ON r.region_id = up.ancestor_id AND r.segment_id = c.segment_id AND r.day = c.day
        """,
    )
    _recount_recaps(cursor, keys=RECAP_KEYS)
    cursor.execute(f"DROP TABLE {RECAP_KEYS}")


def facts_recount_recaps(*, keys: Iterable[tuple[dt.date, str, str]]) -> None:
    """Recount the facts at these (day, region, segment) keys, whose recap an import added or
    changed. Call in the import's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RECAP_KEYS}")
        temp_table_create(
            cursor, RECAP_KEYS, "region_id varchar(20), segment_id varchar(20), day date"
        )
        copy_csv_into(
            cursor, RECAP_KEYS, (f"{region},{segment},{day}\n" for day, region, segment in keys)
        )
        _recount_recaps(cursor, keys=RECAP_KEYS)
        cursor.execute(f"DROP TABLE {RECAP_KEYS}")


def _recount_recaps(cursor, *, keys: str) -> None:
    """The facts at a table of (region_id, segment_id, day) keys, counted as facts_refresh
    counts them: the names on the region itself, plus its recap's total above all the names
    under the region (or nothing, when no recap is there)."""
    cursor.execute(
        f"DELETE FROM kecamatan_activationdaily WHERE EXISTS (SELECT 1 FROM {keys} c "
        f"WHERE {_FACT_KEY})"
    )
    cursor.execute(
        f"""
        INSERT INTO kecamatan_activationdaily (region_id, segment_id, day, people)
        SELECT region_id, segment_id, day, people FROM (
            SELECT k.region_id, k.segment_id, k.day,
                   named_here + CASE WHEN total > named_under THEN total - named_under ELSE 0 END
                       AS people
            FROM (
                SELECT c.region_id, c.segment_id, c.day, COALESCE(r.total, 0) AS total,
                       (SELECT COUNT(*) FROM kecamatan_activation a
                        WHERE a.region_id = c.region_id AND a.segment_id = c.segment_id
                          AND a.activated_on = c.day) AS named_here,
                       (SELECT COUNT(*) FROM kecamatan_regionclosure down
                        JOIN kecamatan_activation a ON a.region_id = down.descendant_id
                        WHERE down.ancestor_id = c.region_id AND a.segment_id = c.segment_id
                          AND a.activated_on = c.day) AS named_under
                FROM {keys} c
                LEFT JOIN kecamatan_activationrecap r ON r.region_id = c.region_id
                    AND r.segment_id = c.segment_id AND r.day = c.day
            ) k
        ) counted
        WHERE people > 0
        """
    )
