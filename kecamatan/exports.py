"""Every table of a region page as a CSV or XLSX download: plain numbers, safe to open in Excel."""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .progress import RegionProgress, Trend, milestone_status
from .reconcile import reconciliation_rows

TABLES = ("wilayah", "segmen", "bulanan", "rekonsiliasi")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _figure_columns() -> list[tuple[str, str]]:
    return [
        ("holders", _("Pemilik KTP-el")),
        ("activated", _("Sudah aktivasi")),
        ("percent", _("Capaian (%)")),
        ("target_percent", _("Target (%)")),
        ("target_people", _("Target (orang)")),
        ("gap_people", _("Kekurangan (orang)")),
        ("pace_30d_per_day", _("Laju 30 hari (/hari)")),
        ("pace_7d_per_day", _("Laju 7 hari (/hari)")),
        ("needed_per_day", _("Dibutuhkan (/hari)")),
        ("needed_per_working_day", _("Dibutuhkan (/hari kerja)")),
        ("needed_per_month", _("Dibutuhkan (/bulan)")),
        ("milestone_people", _("Tonggak (orang)")),
        ("projected_date", _("Proyeksi tercapai")),
        ("target_deadline", _("Tenggat target")),
    ]


def table_rows(*, table: str, progress: RegionProgress, trend: Trend) -> list[list]:
    """The header and the rows of one table, values unformatted (numbers stay numbers)."""
    if table == "rekonsiliasi":
        header = [_("Per tanggal"), _("Sumber"), _("Resmi"), _("Kita"), _("Selisih")]
        rows = reconciliation_rows(region_code=progress.region.code)
        return [
            header,
            *([r["as_of"], r["source"], r["official"], r["ours"], r["difference"]] for r in rows),
        ]
    if table == "bulanan":
        header = [_("Akhir bulan"), _("Aktivasi baru"), _("Kumulatif")]
        rows = zip(trend.months, trend.monthly, trend.cumulative, strict=True)
        return [header, *([m, n, c] for m, n, c in rows)]
    columns = _figure_columns()
    if table == "segmen":
        header = [_("Kode segmen"), _("Segmen"), *(label for _key, label in columns)]
        return [header, *([s["code"], s["name"], *_values(s, columns)] for s in progress.segments)]
    status = {"ahead": _("di depan"), "behind": _("tertinggal")}
    header = [_("Kode wilayah"), _("Wilayah"), *(label for _key, label in columns), _("Status")]
    return [
        header,
        *(
            [c["code"], c["name"], *_values(c, columns), status.get(milestone_status(c), "")]
            for c in progress.children
        ),
    ]


def _values(figures: dict, columns) -> list:
    return [figures[key] for key, _label in columns]


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def as_xlsx(rows: list[list], *, sheet: str) -> bytes:
    return workbook_bytes({sheet: rows})


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX with one sheet per table (title → rows), numbers as numbers, text formula-safe."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title[:31])
        for row in rows:
            worksheet.append([_xlsx_value(safe_cell(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    # Decimals go in as floats: openpyxl writes them as numbers either way, floats are portable.
    if isinstance(value, Decimal):
        return float(value)
    return value


def table_response(
    *, table: str, file_format: str, progress: RegionProgress, trend: Trend
) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    rows = table_rows(table=table, progress=progress, trend=trend)
    parts = [progress.region.code, table, progress.segment, progress.as_of.isoformat()]
    name = "capaian-" + "-".join(p for p in parts if p) + f".{file_format}"
    body = as_csv(rows) if file_format == "csv" else as_xlsx(rows, sheet=table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
