"""Reading uploaded tables as they come from the national systems and Excel: CSV or XLSX.

Streams rows as lists of strings, whatever the encoding (UTF-8 with or without BOM, or
Windows-1252), delimiter (`,` `;` or tab) and line endings; XLSX is read in read-only mode.
Problems with the file as a whole raise FileFormatError with a message for the admin.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext as _

SNIFF_BYTES = 1 << 20  # decide the encoding on the first MiB
XLSX_MAGIC = b"PK\x03\x04"
OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# An Excel number cell of 15 or more digits has lost its last digits: flag it, never trust it.
EXCEL_NUMBER_PREFIX = "#ANGKA:"


class FileFormatError(Exception):
    """The file cannot be read as a table at all; the message says why and what to do."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


Rows = Iterator[tuple[int, list[str]]]


@contextmanager
def table_open(path: Path) -> Iterator[tuple[list[str], Rows]]:
    """Yield (header, rows) for a CSV or XLSX file; rows are (line number, cells)."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if not head.strip():
        raise FileFormatError(_("Berkas kosong. Pilih berkas hasil ekspor yang berisi data."))
    if head.startswith(XLSX_MAGIC):
        with _xlsx_rows(path) as rows:
            yield _header(rows), rows
        return
    if head.startswith(OLD_XLS_MAGIC):
        raise FileFormatError(
            _("Format Excel lama (.xls) tidak didukung. Simpan ulang sebagai .xlsx atau CSV.")
        )
    if b"\x00" in head:
        raise FileFormatError(
            _("Berkas ini bukan CSV atau XLSX (berisi data biner). Periksa berkas yang dipilih.")
        )
    encoding = _encoding(head)
    with open(path, encoding=encoding, newline="") as text:
        rows = _csv_rows(text, _delimiter(head.decode(encoding, errors="replace")))
        yield _header(rows), rows


def _header(rows: Rows) -> list[str]:
    for _line, cells in rows:
        return cells
    raise FileFormatError(_("Berkas kosong. Pilih berkas hasil ekspor yang berisi data."))


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: io.TextIOBase, delimiter: str) -> Rows:
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise FileFormatError(
            _(
                "Baris %(line)s tidak dapat dibaca sebagai CSV (%(reason)s). Periksa tanda kutip "
                "dan pemisah kolom, atau ekspor ulang berkasnya."
            )
            % {"line": reader.line_num, "reason": exc},
            line=reader.line_num,
        ) from None
    except UnicodeDecodeError:
        raise FileFormatError(
            _(
                "Berkas memuat karakter yang tidak dapat dibaca setelah baris %(line)s. Simpan "
                "ulang sebagai CSV UTF-8."
            )
            % {"line": reader.line_num},
            line=reader.line_num,
        ) from None


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and abs(value) >= 1e15:
        return f"{EXCEL_NUMBER_PREFIX}{value:.0f}"  # a NIK typed as a number: digits are lost
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


@contextmanager
def _xlsx_rows(path: Path) -> Iterator[Rows]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # A file object, so the name an admin gave the file does not matter.
        workbook = load_workbook(open(path, "rb"), read_only=True, data_only=True)  # noqa: SIM115
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(
            _("Berkas XLSX rusak atau tidak lengkap (%(reason)s). Ekspor ulang berkasnya.")
            % {"reason": exc.__class__.__name__}
        ) from None
    try:
        sheet = workbook.worksheets[0]

        def rows() -> Rows:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_xlsx_cell(v) for v in values]
                if any(cells):
                    yield number, cells

        yield rows()
    finally:
        workbook.close()
