"""A file of official figures (from the province or Ditjen Dukcapil), read and checked like every
upload: validated whole (its header found under a title block too), then saved in one
transaction through `progress/reconcile`."""

from django.db import transaction

from ikd_dashboard.bounds import MAX_COUNT

from ..accounts.audit import audit
from ..models import AuditEvent, OfficialFigure
from ..nik import nik_mask_text
from ..progress.reconcile import official_figure_save
from .columns import normalise_header
from .readers import FileFormatError, table_open
from .validate import RegionLookups, parse_count, parse_date

NEEDED = {"kode_wilayah", "tanggal", "jumlah"}


def _names_needed_columns(cells: list[str]) -> bool:
    return {normalise_header(c) for c in cells} >= NEEDED


def official_figures_import(*, path, user, file_name: str) -> tuple[int, list[str], int]:
    """Import official figures from a CSV/XLSX (`kode_wilayah, tanggal, jumlah[, pemilik_ktp]
    [, sumber]`), validated whole and saved in one transaction. Returns (rows saved, errors,
    title lines skipped above the header)."""
    errors, figures, title_rows = [], [], 0
    try:
        with table_open(path, is_header=_names_needed_columns) as (header, rows, title_rows):
            columns = {normalise_header(h): i for i, h in enumerate(header)}
            if not columns.keys() >= NEEDED:
                raise FileFormatError(
                    nik_mask_text(
                        f"Kolom wajib: kode_wilayah, tanggal, jumlah (ada: {', '.join(header)}).",
                        limit=300,
                    )
                )
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
        return 0, [exc.message], title_rows
    if errors or not figures:
        return 0, errors or ["Berkas tidak berisi baris data."], title_rows
    with transaction.atomic():
        for figure in figures:
            official_figure_save(figure=figure, user=user, audited=False)
        audit(AuditEvent.Action.OFFICIAL_SAVE, user=user, target=file_name, rows=len(figures))
    return len(figures), [], title_rows
