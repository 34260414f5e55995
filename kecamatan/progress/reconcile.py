"""Reconciliation: figures from the province or Ditjen Dukcapil beside our own for that date."""

from django.db import connection, transaction

from ikd_dashboard.bounds import MAX_COUNT

from ..accounts.audit import audit
from ..dialect import date_from_db
from ..models import AuditEvent, OfficialFigure
from ..nik import nik_mask_text
from ..uploads.readers import FileFormatError, table_open
from ..uploads.validate import (
    RegionLookups,
    normalise_header,
    parse_count,
    parse_date,
)


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


def official_figures_import(*, path, user, file_name: str) -> tuple[int, list[str]]:
    """Import official figures from a CSV/XLSX (`kode_wilayah, tanggal, jumlah[, pemilik_ktp]
    [, sumber]`), validated whole and saved in one transaction. Returns (rows saved, errors)."""
    errors, figures = [], []
    try:
        with table_open(path) as (header, rows):
            columns = {normalise_header(h): i for i, h in enumerate(header)}
            need = {"kode_wilayah", "tanggal", "jumlah"}
            if not need <= columns.keys():
                return 0, [
                    nik_mask_text(
                        f"Kolom wajib: kode_wilayah, tanggal, jumlah (ada: {', '.join(header)}).",
                        limit=300,
                    )
                ]
            lookups = RegionLookups()

            def cell(cells, name):
                i = columns.get(name)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            for line, cells in rows:
                code, problem = lookups.region(cell(cells, "kode_wilayah"), "", "")
                day = parse_date(cell(cells, "tanggal"))
                activated = parse_count(cell(cells, "jumlah"))
                holders_text = cell(cells, "pemilik_ktp")
                holders = parse_count(holders_text) if holders_text else None
                activated = activated if activated is None or activated <= MAX_COUNT else None
                holders = holders if holders is None or holders <= MAX_COUNT else None
                for ok, message in [
                    (code, problem),
                    (day, f"tanggal tidak valid: {cell(cells, 'tanggal')!r}"),
                    (activated is not None, f"jumlah tidak valid: {cell(cells, 'jumlah')!r}"),
                    (holders is not None or not holders_text, "pemilik_ktp tidak valid"),
                ]:
                    if not ok:  # the message quotes the file: masked, and cut short
                        errors.append(nik_mask_text(f"Baris {line}: {message}", limit=200))
                if code and day and activated is not None:
                    figures.append(
                        OfficialFigure(
                            region_id=code,
                            as_of=day,
                            activated=activated,
                            holders=holders,
                            source=cell(cells, "sumber") or "Ditjen Dukcapil",
                        )
                    )
    except FileFormatError as exc:
        return 0, [exc.message]
    if errors or not figures:
        return 0, errors or ["Berkas tidak berisi baris data."]
    with transaction.atomic():
        for figure in figures:
            official_figure_save(figure=figure, user=user, audited=False)
        audit(AuditEvent.Action.OFFICIAL_SAVE, user=user, target=file_name, rows=len(figures))
    return len(figures), []
