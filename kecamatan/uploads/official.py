"""A file of official figures (from the province or Ditjen Dukcapil), read and checked like every
upload: validated whole, then saved in one transaction through `progress/reconcile`."""

from django.db import transaction

from ikd_dashboard.bounds import MAX_COUNT

from ..accounts.audit import audit
from ..models import AuditEvent, OfficialFigure
from ..nik import nik_mask_text
from ..progress.reconcile import official_figure_save
from .readers import FileFormatError, table_open
from .validate import RegionLookups, normalise_header, parse_count, parse_date


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
