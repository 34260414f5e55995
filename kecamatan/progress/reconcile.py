"""Reconciliation: figures from the province or Ditjen Dukcapil beside our own for that date.

A file of official figures is read in the uploads room (`uploads/official.py`), like every
other file; this module keeps one figure, deletes one and sets them beside our counts."""

from django.db import connection

from ..accounts.audit import audit
from ..dialect import date_from_db
from ..models import AuditEvent, OfficialFigure


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
        row["as_of"] = date_from_db(row["as_of"])
        row["ours"] = int(row["ours"])
        row["difference"] = row["ours"] - row["official"]
    return rows


def official_figure_save(*, figure: OfficialFigure, user, audited: bool = True) -> OfficialFigure:
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
    if audited:
        audit(
            AuditEvent.Action.OFFICIAL_SAVE,
            user=user,
            target=f"{saved.region_id} {saved.as_of}",
            activated=saved.activated,
            source=saved.source,
        )
    return saved


def official_figure_delete(*, figure: OfficialFigure, user) -> None:
    audit(
        AuditEvent.Action.OFFICIAL_DELETE,
        user=user,
        target=f"{figure.region_id} {figure.as_of}",
        activated=figure.activated,
    )
    figure.delete()
