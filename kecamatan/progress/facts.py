"""Daily facts: who is counted, per region, segment and day — rebuilt set-based for a subtree.

Named activations count one each on their own region. A daily recap for a kecamatan counts as a
floor: when it says more people activated that day in that segment than are named under the
kecamatan, the difference is booked on the kecamatan. Nobody is counted twice.
"""

from django.db import connection


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
