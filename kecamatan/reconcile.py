"""Reconciliation: figures from the province or Ditjen Dukcapil beside our own for that date."""

import datetime as dt

from django.db import connection

from .models import OfficialFigure


def reconciliation_rows(*, region_code: str | None = None, limit: int = 100) -> list[dict]:
    """Official figures (newest first) with our count of people activated by the same date and
    the difference (ours − official), in one query whatever the number of rows."""
    where = "WHERE o.region_id = %(region)s" if region_code else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT o.id, o.region_id, r.name, r.level, o.as_of, o.activated AS official, o.source,
                   (SELECT COALESCE(SUM(f.people), 0)
                    FROM kecamatan_regionclosure c
                    JOIN kecamatan_activationdaily f
                        ON f.region_id = c.descendant_id AND f.day <= o.as_of
                    WHERE c.ancestor_id = o.region_id) AS ours
            FROM kecamatan_officialfigure o
            JOIN kecamatan_region r ON r.code = o.region_id
            {where}
            ORDER BY o.as_of DESC, o.region_id
            LIMIT %(limit)s
            """,
            {"region": region_code, "limit": limit},
        )
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["as_of"], str):  # SQLite
            row["as_of"] = dt.date.fromisoformat(row["as_of"])
        row["ours"] = int(row["ours"])
        row["difference"] = row["ours"] - row["official"]
    return rows


def official_figure_save(*, figure: OfficialFigure, user) -> OfficialFigure:
    """Insert or replace the figure for (region, date, source)."""
    saved, _created = OfficialFigure.objects.update_or_create(
        region=figure.region,
        as_of=figure.as_of,
        source=figure.source,
        defaults={
            "activated": figure.activated,
            "holders": figure.holders,
            "note": figure.note,
            "entered_by": user,
        },
    )
    return saved
