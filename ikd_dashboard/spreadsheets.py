"""Tables as files people open in Excel: XLSX (with its Metadata sheet), a CSV for programs and a
CSV for Excel set to Indonesian; numbers as numbers, codes as text, never a formula.

Why two CSVs: a program wants `,` between fields and `.` before decimals; Excel set to Indonesian
(list separator `;`, decimal `,`) opens that file in one column and reads "3.58" as 358. The
Excel-ID file writes `;`, "3,58", dates dd/mm/yyyy (its short date, so they open as dates) and
wraps a code made of digits and dots in `="…"`: Excel would otherwise read "33.11" as 3311 or a
time of day. XLSX needs none of this (typed cells) and is the file the pages offer first."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .numbers import rounded

CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": CSV_TYPE,  # for programs: `,`, decimal point, UTF-8
    "csv-id": CSV_TYPE,  # for Excel in Indonesian: `;`, decimal comma, UTF-8 with BOM
}
FILE_SUFFIXES = {"xlsx": ".xlsx", "csv": ".csv", "csv-id": "-excel-id.csv"}
METADATA_SHEET = "Metadata"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text Excel would take for a number, a date or a time: a code ("33.11.01", "007"), never words.
NUMBER_LIKE = re.compile(r"[0-9][0-9.,/:]*")


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: list[list]) -> bytes:
    """The CSV for programs: `,` between fields, decimal point, ISO dates, UTF-8 (with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(_file_number(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def csv_excel_id_bytes(rows: list[list]) -> bytes:
    """The CSV for Excel set to Indonesian: `;`, decimal comma, dd/mm/yyyy, codes kept as text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_excel_id_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _excel_id_cell(value) -> str:
    value = _file_number(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")  # no thousands mark: "680000", "4,94"
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and NUMBER_LIKE.fullmatch(value):
        return f'="{value}"'  # digits and dots only: nothing to inject, and Excel keeps the text
    return str(safe_cell(value))


def workbook_bytes(sheets: dict[str, list[list]], *, metadata: list[tuple[str, object]]) -> bytes:
    """An XLSX with one sheet per table (title → rows), numbers as numbers, text formula-safe,
    and last a Metadata sheet: what the tables are, of where, as of when, from where
    (kecamatan/exports.py builds it)."""
    book = Workbook(write_only=True)
    for title, rows in {**sheets, METADATA_SHEET: [list(pair) for pair in metadata]}.items():
        worksheet = book.create_sheet(title[:31])
        for row in rows:
            worksheet.append([_xlsx_value(safe_cell(_file_number(v))) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download_response(
    *, file_format: str, title: str, rows: list[list], metadata: list[tuple], stem: str
) -> HttpResponse:
    """One table as the file asked for (xlsx, csv, csv-id), named `stem` and its suffix."""
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    if file_format == "xlsx":
        body = workbook_bytes({title: rows}, metadata=metadata)
    elif file_format == "csv-id":
        body = csv_excel_id_bytes(rows)
    else:
        body = csv_bytes(rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}{FILE_SUFFIXES[file_format]}"'
    return response


def _file_number(value):
    """A kept ratio (12 decimals) in a file: rounded once to the API's 2 decimals. Counts are
    ints; every Decimal or float in a table is a ratio."""
    return rounded(value) if isinstance(value, Decimal | float) else value


def _xlsx_value(value):
    # Decimals go in as floats: openpyxl writes them as numbers either way, floats are portable.
    if isinstance(value, Decimal):
        return float(value)
    return value
