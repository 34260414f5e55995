"""Reading uploaded tables as they come from the national systems and Excel: CSV or XLSX.

Streams rows as lists of strings, whatever the encoding (UTF-8 with or without BOM, or
Windows-1252), delimiter (`,` `;` or tab) and line endings; XLSX is read in read-only mode.
Government exports and printed recaps often put a title block above the table: the header is the
first of the first HEADER_SEARCH_ROWS rows that names the columns the caller needs, and the rows
above it are skipped. Rows keep the numbers a person sees in the file, title lines counted.
Problems with the file as a whole raise FileFormatError with a message for the admin.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..nik import EXCEL_NUMBER_PREFIX, nik_mask_text
from ..vocabulary import format_number

SNIFF_BYTES = 1 << 20  # decide the encoding on the first MiB
XLSX_MAGIC = b"PK\x03\x04"
OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# No real export has a line or a row this long (ours have 5–12 columns, under 200 characters): a
# longer one is refused as it is read, before it is held whole (a 60 MB header of 30 million
# columns took 2,5 GB to split).
CSV_MAX_LINE_CHARS = 1 << 20
CSV_MAX_COLUMNS = 4096
# A title block is a few lines (the office, the period, a blank line); a header further down
# is not one we recognise, and the file gets the message about its first row.
HEADER_SEARCH_ROWS = 20


class FileFormatError(Exception):
    """The file cannot be read as a table at all; the message says why and what to do.

    The message may quote the file (its header row, say): any NIK in it is masked here, so it is
    masked in the exception, its log line and the upload record alike."""

    def __init__(self, message: str, line: int | None = None):
        message = nik_mask_text(str(message))
        super().__init__(message)
        self.message = message
        self.line = line


Rows = Iterator[tuple[int, list[str]]]
IsHeader = Callable[[list[str]], bool]


class Table(NamedTuple):
    header: list[str]
    rows: Rows  # (line number in the file, cells), the rows under the header
    title_rows: int  # the lines above the header, skipped: 0 when it is the first row


@contextmanager
def table_open(source: Path | BinaryIO, *, is_header: IsHeader | None = None) -> Iterator[Table]:
    """Yield (header, rows, title rows) for a CSV or XLSX file.

    The header is the first of the first HEADER_SEARCH_ROWS rows that `is_header` accepts (the
    caller's required columns, by its own names and aliases); without one that does, or without
    `is_header`, it is the first row, as in a file without a title block, so that the caller's
    message about missing columns quotes it. `source` is a path, or a file object in memory (a
    list checked without ever touching the disk, kecamatan/institutions/check.py)."""
    with _binary(source) as f:
        head = f.read(SNIFF_BYTES)
    if not head.strip():
        raise FileFormatError(_("Berkas kosong. Pilih berkas hasil ekspor yang berisi data."))
    if head.startswith(XLSX_MAGIC):
        with _xlsx_rows(source) as rows:
            header, rows, title_rows = _table(rows, is_header)
            yield Table(header, _padded(rows, len(header)), title_rows)
        return
    if head.startswith(OLD_XLS_MAGIC):
        raise FileFormatError(
            _("Format Excel lama (.xls) tidak didukung. Simpan ulang sebagai .xlsx atau CSV.")
        )
    if b"\x00" in head:
        raise FileFormatError(
            _("Berkas ini bukan CSV atau XLSX (berisi data biner). Periksa berkas yang dipilih.")
        )
    _refuse_long_lines(source)
    encoding = _encoding(head)
    with _binary(source) as f:
        text = io.TextIOWrapper(f, encoding=encoding, newline="")
        try:
            delimiter = _delimiter(head.decode(encoding, errors="replace"), is_header)
            yield _table(_csv_rows(text, delimiter), is_header)
        finally:
            text.detach()  # `_binary` closes a file it opened; one in memory stays its owner's


@contextmanager
def _binary(source: Path | BinaryIO) -> Iterator[BinaryIO]:
    """The file's bytes from the start: a path opened (and closed), a file object rewound."""
    if isinstance(source, Path):
        with open(source, "rb") as f:
            yield f
        return
    source.seek(0)
    yield source


def _table(rows: Rows, is_header: IsHeader | None) -> Table:
    above: list[tuple[int, list[str]]] = []  # rows read while looking for the header
    for line, cells in rows:
        if is_header is None or is_header(cells):
            return Table(cells, rows, line - 1 if above else 0)  # blank lines alone: no title
        above.append((line, cells))
        if len(above) == HEADER_SEARCH_ROWS:
            break
    if not above:
        raise FileFormatError(_("Berkas kosong. Pilih berkas hasil ekspor yang berisi data."))
    (_line, header), *under = above
    return Table(header, itertools.chain(under, rows), 0)


def title_rows_skipped(n: int) -> str:
    """What the official figures' page and `import_data` say of a title block (the preview's
    template says the same words)."""
    return ngettext("%(n)s baris judul dilewati", "%(n)s baris judul dilewati", n) % {
        "n": format_number(n)
    }


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


def _delimiter(text: str, is_header: IsHeader | None) -> str:
    """The delimiter under which a line of the sample is the header; else the one the first
    line has most of (a title line above the header may have none, or a comma in a sentence)."""
    filled = (line for line in text.splitlines() if line.strip())
    lines = list(itertools.islice(filled, HEADER_SEARCH_ROWS))
    for line in lines if is_header else ():
        counts = _delimiter_counts(line)
        tried = (d for d in counts if 0 < counts[d] < CSV_MAX_COLUMNS)  # wider: refused anyway
        for d in sorted(tried, key=counts.get, reverse=True):
            if is_header([c.strip() for c in _split(line, d)]):
                return d
    counts = _delimiter_counts(lines[0] if lines else "")
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _delimiter_counts(line: str) -> dict[str, int]:
    return {d: line.count(d) for d in (",", ";", "\t")}


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a quote running past the line, a field past csv's limit
        return []


def _too_wide(line: int, how: str):
    raise FileFormatError(
        _(
            "Baris %(line)s %(how)s: berkas ekspor yang benar tidak punya baris selebar ini. "
            "Periksa pemisah kolom dan baris, atau ekspor ulang berkasnya."
        )
        % {"line": line, "how": how},
        line=line,
    )


def _refuse_long_lines(source: Path | BinaryIO) -> None:
    """Refuse a file with a line longer than CSV_MAX_LINE_CHARS bytes before any line is read
    whole: one pass over the bytes, a megabyte at a time (a 60 MB one-line header took 2,5 GB
    to split). Cheaper than bounding every line as it is read (docs/performance.md)."""
    line, run = 1, 0  # the line being read, and its bytes so far
    with _binary(source) as f:
        while chunk := f.read(CSV_MAX_LINE_CHARS):
            first = chunk.find(b"\n")
            if first < 0:
                run += len(chunk)
            elif run + first > CSV_MAX_LINE_CHARS:
                break
            else:
                line += chunk.count(b"\n")
                run = len(chunk) - chunk.rfind(b"\n") - 1
            if run > CSV_MAX_LINE_CHARS:
                break
        else:
            return
    _too_wide(line, _("lebih panjang dari 1 MB"))


def _csv_rows(text: io.TextIOBase, delimiter: str) -> Rows:
    """The file's rows, numbered by physical line as csv.reader numbers them.

    A line without a quote character is split as it is: what csv.reader would make of it, three
    times faster on a wide row. A line with one goes through csv.reader, which takes as many
    more lines as its quotes run over; so does a line long enough to hold a field past
    csv.reader's limit, which refuses it."""
    lines = iter(text)  # no line is longer than CSV_MAX_LINE_CHARS: _refuse_long_lines
    pending: list[str] = []

    def quoted_lines():
        while True:
            if pending:
                yield pending.pop()
            elif (line := next(lines, None)) is not None:
                yield line
            else:
                return

    reader = csv.reader(quoted_lines(), delimiter=delimiter, strict=True)
    number = before = 0
    longest = csv.field_size_limit()
    try:
        for line in lines:
            if '"' in line or len(line) > longest:
                pending.append(line)
                before = reader.line_num
                cells = next(reader)
                number += reader.line_num - before
            else:
                number += 1
                cells = line.rstrip("\r\n").split(delimiter)
            if len(cells) > CSV_MAX_COLUMNS:
                columns = format_number(CSV_MAX_COLUMNS)
                _too_wide(number, _("lebih dari %(n)s kolom") % {"n": columns})
            cells = list(map(str.strip, cells))
            if any(cells):
                yield number, cells
    except csv.Error as exc:
        number += reader.line_num - before  # the lines of the record it could not read
        raise FileFormatError(
            _(
                "Baris %(line)s tidak dapat dibaca sebagai CSV (%(reason)s). Periksa tanda kutip "
                "dan pemisah kolom, atau ekspor ulang berkasnya."
            )
            % {"line": number, "reason": exc},
            line=number,
        ) from None
    except UnicodeDecodeError:
        raise FileFormatError(
            _(
                "Berkas memuat karakter yang tidak dapat dibaca setelah baris %(line)s. Simpan "
                "ulang sebagai CSV UTF-8."
            )
            % {"line": number},
            line=number,
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


# What a real export needs, with room to spare (docs/data-formats.md): Sukoharjo's activation
# list is 35.000 rows today (twice that fits); 204.000 at the 30% target come as CSV, which
# reads ten times faster. Each limit is checked before a row is read (the declared dimension,
# the unpacked sizes and DTDs in the zip) or while reading (rows, columns), so a hostile file
# is refused in well under a second and a check holds one row at a time beyond the shared
# strings.
XLSX_MAX_ROWS = 80_000
XLSX_MAX_COLUMNS = 30
XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # every part of the workbook, unpacked
XLSX_MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024  # openpyxl keeps all of them in memory
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _xlsx_refuse(reason: str):
    raise FileFormatError(
        _(
            "Berkas XLSX ini melebihi batas yang aman (%(reason)s). Simpan sebagai CSV dari "
            "Excel (File › Save As › CSV), atau bagi menjadi beberapa berkas."
        )
        % {"reason": reason}
    )


def xlsx_check_limits(source: Path | BinaryIO) -> None:
    """Refuse a workbook whose unpacked size or declared sheet size is beyond the limits, from
    the zip directory and the first bytes of each sheet, before openpyxl unpacks anything."""
    try:
        with _binary(source) as f, zipfile.ZipFile(f) as archive:
            parts = archive.infolist()
            unpacked = sum(p.file_size for p in parts)
            if unpacked > XLSX_MAX_UNPACKED_BYTES:
                _xlsx_refuse(
                    _("isinya %(mb)s MB setelah dibuka, batasnya %(limit)s MB")
                    % {"mb": unpacked // 2**20, "limit": XLSX_MAX_UNPACKED_BYTES // 2**20}
                )
            for part in parts:
                name = part.filename.lower()
                if name.endswith("sharedstrings.xml") and (
                    part.file_size > XLSX_MAX_SHARED_STRINGS_BYTES
                ):
                    _xlsx_refuse(_("teks sel terlalu banyak"))
                if name.endswith((".xml", ".rels")):
                    head = _xml_part_check(archive, part)
                    if name.startswith("xl/worksheets/"):
                        _check_dimension(head)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError, EOFError):
        raise FileFormatError(
            _("Berkas XLSX rusak atau tidak lengkap. Ekspor ulang berkasnya.")
        ) from None


def _xml_part_check(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    """Refuse a DTD anywhere in an XML part (Excel never writes one; here it can only be an
    entity bomb), and any encoding but UTF-8, in which a byte search could miss it. Reads the
    part in chunks (the unpacked total is already bounded); returns its first chunk."""
    with archive.open(part) as xml:
        head = xml.read(1 << 20)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:64]:
            _xlsx_refuse(_("bagian XML-nya tidak berkode UTF-8"))
        chunk, tail = head, b""
        while chunk:
            window = tail + chunk  # a declaration split across two chunks is still found
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                _xlsx_refuse(_("berisi deklarasi DTD/entitas XML"))
            tail, chunk = chunk[-16:], xml.read(1 << 20)
    return head


def _check_dimension(head: bytes) -> None:
    found = DIMENSION.search(head)
    if not found:
        return
    last_column, last_row = found[3] or found[1], found[4] or found[2]
    if last_row and int(last_row) > XLSX_MAX_ROWS + 1:
        _xlsx_refuse(
            _("lembar kerjanya menyatakan %(rows)s baris, batasnya %(limit)s")
            % {"rows": f"{int(last_row):,}".replace(",", "."), "limit": _max_rows_text()}
        )
    if last_column and _column_number(last_column.decode()) > XLSX_MAX_COLUMNS:
        _xlsx_refuse(
            _("lembar kerjanya menyatakan %(columns)s kolom, batasnya %(limit)s")
            % {"columns": _column_number(last_column.decode()), "limit": XLSX_MAX_COLUMNS}
        )


def _max_rows_text() -> str:
    return f"{XLSX_MAX_ROWS:,}".replace(",", ".")


@contextmanager
def _xlsx_rows(source: Path | BinaryIO) -> Iterator[Rows]:
    from openpyxl import load_workbook

    xlsx_check_limits(source)
    try:
        # A file object, so the name an admin gave the file does not matter.
        f = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115
        f.seek(0)
        workbook = load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises anything on a broken workbook
        raise FileFormatError(
            _("Berkas XLSX rusak atau tidak lengkap (%(reason)s). Ekspor ulang berkasnya.")
            % {"reason": exc.__class__.__name__}
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileFormatError(_("Berkas XLSX tidak berisi lembar kerja."))
        # The declared dimension is only a claim (checked above): read every row there is,
        # so that rows past a too-small claim are neither lost nor uncounted.
        sheet.reset_dimensions()
        yield _xlsx_sheet_rows(sheet)
    finally:
        workbook.close()


def _xlsx_sheet_rows(sheet) -> Rows:
    """Rows of the first sheet up to their last filled cell, refused past the row or column
    limit: at the first row that goes beyond either, so a hostile sheet costs one row of
    reading, not millions."""
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > XLSX_MAX_ROWS + 1:  # + the header
                _xlsx_refuse(_("lebih dari %(limit)s baris") % {"limit": _max_rows_text()})
            if len(values) > XLSX_MAX_COLUMNS and any(
                v is not None for v in values[XLSX_MAX_COLUMNS:]
            ):
                _xlsx_refuse(_("lebih dari %(limit)s kolom") % {"limit": XLSX_MAX_COLUMNS})
            cells = [_xlsx_cell(v) for v in values[:XLSX_MAX_COLUMNS]]
            used = max((i + 1 for i, c in enumerate(cells) if c), default=0)
            if used:
                yield number, cells[:used]
    except FileFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 — a truncated or malformed sheet fails mid-way
        raise FileFormatError(
            _(
                "Berkas XLSX rusak di tengah lembar kerja (%(reason)s). Tidak ada yang disimpan; "
                "ekspor ulang berkasnya."
            )
            % {"reason": exc.__class__.__name__}
        ) from None


def _padded(rows: Rows, width: int) -> Rows:
    """Rows as wide as the header at least: Excel leaves an empty last cell out of the row."""
    for number, cells in rows:
        yield number, cells + [""] * (width - len(cells))
