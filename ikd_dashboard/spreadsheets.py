"""Tables as files people open in Excel: CSV and XLSX, numbers as numbers, never a formula."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from .numbers import rounded

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(_file_number(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX with one sheet per table (title → rows), numbers as numbers, text formula-safe."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title[:31])
        for row in rows:
            worksheet.append([_xlsx_value(safe_cell(_file_number(v))) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _file_number(value):
    """A kept ratio (12 decimals) in a file: rounded once to the API's 2 decimals. Counts are
    ints; every Decimal or float in a table is a ratio."""
    return rounded(value) if isinstance(value, Decimal | float) else value


def _xlsx_value(value):
    # Decimals go in as floats: openpyxl writes them as numbers either way, floats are portable.
    if isinstance(value, Decimal):
        return float(value)
    return value
