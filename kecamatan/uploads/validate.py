"""Checking an uploaded table whole: whether every value is usable (which column is which:
columns.py).

Dates, counts, NIK structure (kecamatan/nik.py), regions by code or by name
(lookups.RegionLookups), segments and places. Every problem becomes a RowError the admin sees;
RowError masks any NIK in it as it is made.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ikd_dashboard.bounds import IKD_START, MAX_COUNT  # noqa: F401 - read here by the rules

from ..models import Basis
from ..nik import nik_mask_text
from .lookups import RegionLookups, plain_name
from .readers import FileFormatError

KINDS = ("aktivasi", "rekap", "pemilik_ktp", "roster", "peringkat")
MAX_ERRORS_KEPT = 200  # the report lists this many; the count covers them all
PROGRESS_EVERY = 50_000
# Past this many errors the file is refused at once: counting a million more would take minutes
# (a 64 MB file of garbage rows) and tell the admin nothing the first 200 do not.
ERROR_FLOOD = 10_000
FOUND_KEPT = 100_000  # regions or segments remembered per file: every desa in the country

# Which levels a region may be at, per kind.
LEVELS = {
    "aktivasi": {"kecamatan", "desa", "kelurahan"},
    "rekap": {"kecamatan"},
    "pemilik_ktp": {"kabupaten", "kecamatan", "desa", "kelurahan"},
    "roster": {"kabupaten", "kecamatan", "desa", "kelurahan"},
}

# fmt: off
MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2, "pebruari": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6,
    "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "ags": 8,
    "agt": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
    "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
# fmt: on
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
TEXT_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")
COUNT = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


@dataclass
class RowError:
    """One problem in one row; any NIK in its value or message (from any column) is masked."""

    line: int
    column: str
    value: str
    message: str

    def __post_init__(self):
        self.value = nik_mask_text(str(self.value), limit=80)
        self.message = nik_mask_text(str(self.message), limit=500)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), in the numbers the upload history shows."""

    kind: str
    ok: bool = False
    message: str = ""
    rows_read: int = 0
    rows_added: int = 0
    rows_known: int = 0
    rows_replaced: int = 0
    rows_rejected: int = 0
    duplicates_in_file: int = 0
    date_conflicts: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    touched_regions: set[str] = field(default_factory=set)
    data_through: dt.date | None = None  # the last date of a valid row
    rows_noted: list[dict] = field(default_factory=list)  # duplicates and date conflicts
    regions_matched: dict[str, tuple[str, str]] = field(default_factory=dict)  # see RegionLookups
    institutions: list[dict] = field(default_factory=list)  # a roster's, for the preview
    title_rows: int = 0  # the lines above the header, skipped (readers.table_open)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def saw_date(self, day: dt.date) -> None:
        if self.data_through is None or day > self.data_through:
            self.data_through = day

    def note_row(self, *, line: int, kind: str, message: str) -> None:
        """A row that is not an error but that the admin may want to look up in the file."""
        if len(self.rows_noted) < MAX_ERRORS_KEPT:
            self.rows_noted.append({"line": line, "kind": kind, "message": message})


class ImportRejected(Exception):
    """Raised inside the import transaction so that nothing of a rejected file is kept."""


def parse_date(value: str) -> dt.date | None:
    """`2025-04-09`, `09/04/2025`, `09-04-2025` or `9 April 2025`; None when not a real date."""
    value = value.strip()
    try:
        if m := ISO_DATE.fullmatch(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := DMY_DATE.fullmatch(value):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if (m := TEXT_DATE.fullmatch(value)) and m[2].lower() in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None


def parse_count(value: str) -> int | None:
    """`1234` or `1.234` (Indonesian thousands); None for anything else, negatives included."""
    value = value.strip().replace(" ", "")
    if COUNT.fullmatch(value):
        return int(value.replace(".", ""))
    return None


def cell(cells: list[str], positions: dict[str, int], name: str) -> str:
    i = positions.get(name)
    return cells[i] if i is not None and i < len(cells) else ""


class RowChecker:
    """Checks the fields every kind shares; appends errors to the report."""

    def __init__(self, kind: str, report: ImportReport, lookups: RegionLookups, positions, width):
        self.kind, self.report, self.lookups = kind, report, lookups
        self.positions, self.width = positions, width
        self.today = timezone.localdate()
        self.fatal: Exception | None = None
        self.dates: dict[str, dt.date | None] = {}
        # A file names the same few hundred regions and segments a million times: what was
        # found once without an error is taken from here (errors are checked every time).
        self.days_found: dict[str, dt.date] = {}
        self.region_at = tuple(
            positions.get(name) for name in ("kode_wilayah", "kecamatan", "desa")
        )
        self.regions_found: dict[tuple[str, str, str], str] = {}
        self.segments_found: dict[str, str] = {}

    def error(self, line: int, column: str, value: str, message: str) -> None:
        self.report.add_error(RowError(line, column, value, message))

    def date(self, line: int, raw: str) -> dt.date | None:
        day = self.days_found.get(raw)
        if day is not None:
            return day
        if raw not in self.dates:  # a file repeats the same few dates a million times
            self.dates[raw] = parse_date(raw)
        day = self.dates[raw]
        if day is None:
            self.error(
                line,
                "tanggal",
                raw,
                _(
                    "Bukan tanggal yang valid. Gunakan 2025-04-09, 09/04/2025, 09-04-2025 atau "
                    "9 April 2025."
                ),
            )
        elif day > self.today:
            self.error(line, "tanggal", raw, _("Tanggal di masa depan."))
            return None
        elif day < IKD_START:
            self.error(line, "tanggal", raw, _("Tanggal sebelum IKD ada (2022)."))
            return None
        else:
            self.days_found[raw] = day
        return day

    def region(self, line: int, cells: list[str]) -> str | None:
        code_at, kecamatan_at, desa_at = self.region_at
        if kecamatan_at is None and desa_at is None:  # the usual export: a code, no names
            written = (cells[code_at], "", "")
        else:
            written = tuple(
                cells[i] if i is not None and i < len(cells) else "" for i in self.region_at
            )
        found = self.regions_found.get(written)
        if found is not None:
            return found
        raw_code, kecamatan, desa = written
        code, problem = self.lookups.region(raw_code, kecamatan, desa)
        shown = raw_code or " / ".join(filter(None, [kecamatan, desa]))
        if problem:
            self.error(line, "kode_wilayah", shown, problem)
            return None
        level = self.lookups.regions[code]
        if level not in LEVELS[self.kind]:
            self.error(
                line,
                "kode_wilayah",
                shown,
                _("Wilayah %(code)s adalah %(level)s; berkas %(kind)s memerlukan %(levels)s.")
                % {
                    "code": code,
                    "level": level,
                    "kind": self.kind,
                    "levels": " / ".join(sorted(LEVELS[self.kind])),
                },
            )
            return None
        if len(self.regions_found) < FOUND_KEPT:
            self.regions_found[written] = code
        return code

    def segment(self, line: int, raw: str, default: str | None) -> str | None:
        if not raw and default:
            return default
        if raw in self.segments_found:
            return self.segments_found[raw]
        code = self.lookups.segments.get(plain_name(raw)) if raw else None
        if code is not None and len(self.segments_found) < FOUND_KEPT:
            self.segments_found[raw] = code
        if code is None:
            self.error(
                line,
                "segmen",
                raw,
                _("Segmen tidak dikenal. Gunakan salah satu kode: %(codes)s.")
                % {"codes": ", ".join(sorted(set(self.lookups.segments.values())))},
            )
        return code

    def basis(self, line: int, raw: str) -> str | None:
        """What a count is of (pemilik_ktp files): perekaman when the column is absent or empty."""
        value = re.sub(r"[\s_-]+", "_", plain_name(raw)) if raw else Basis.PEREKAMAN
        if value in Basis.values:
            return value
        self.error(
            line,
            "dasar",
            raw,
            _("Dasar tidak dikenal. Gunakan salah satu: %(codes)s (kosong: perekaman).")
            % {"codes": ", ".join(Basis.values)},
        )
        return None

    def count(self, line: int, raw: str, column: str = "jumlah") -> int | None:
        value = parse_count(raw[:40])
        if value is None or value > MAX_COUNT:
            self.error(
                line,
                column,
                raw,
                _("Jumlah harus bilangan bulat tidak negatif, misalnya 1234 atau 1.234.")
                if value is None
                else _("Jumlah terlalu besar: lebih dari 100.000.000 orang. Periksa angkanya."),
            )
            return None
        return value


def rows_to_check(rows, checker: RowChecker, report: ImportReport, on_progress):
    """The rows with as many cells as the header; every row read is counted, progress reported.

    The file is refused as a whole past settings.UPLOAD_MAX_ROWS rows or once its rows have
    given ERROR_FLOOD errors."""
    width, error, max_rows = checker.width, checker.error, settings.UPLOAD_MAX_ROWS
    for line, cells in rows:
        report.rows_read += 1
        if report.rows_read % PROGRESS_EVERY == 0:
            if on_progress:
                on_progress(report.rows_read)
            if report.rows_read > max_rows:
                raise FileFormatError(_too_many_rows(max_rows))
        if report.error_count >= ERROR_FLOOD:
            raise FileFormatError(_flooded(report.rows_read))
        if len(cells) == width:
            yield line, cells
        else:
            error(line, "", "", _wrong_width(len(cells), width))
            report.rows_rejected += 1
    if report.rows_read > max_rows:
        raise FileFormatError(_too_many_rows(max_rows))


def _too_many_rows(max_rows: int) -> str:
    return _(
        "Berkas ditolak: lebih dari %(n)s baris data. Tidak ada data yang disimpan. Bagi berkas "
        "menjadi beberapa berkas (misalnya per kecamatan) lalu unggah satu per satu."
    ) % {"n": f"{max_rows:,}".replace(",", ".")}


def _flooded(rows_read: int) -> str:
    return _(
        "Berkas ditolak: lebih dari %(n)s kesalahan, pemeriksaan dihentikan pada baris "
        "ke-%(rows)s. Tidak ada data yang disimpan. Periksa apakah jenis berkas dan "
        "kolomnya benar."
    ) % {"n": f"{ERROR_FLOOD:,}".replace(",", "."), "rows": rows_read}


def _wrong_width(got: int, want: int) -> str:
    return _(
        "Baris ini punya %(got)s kolom, padahal baris judul punya %(want)s. Periksa "
        "pemisah kolom (, ; atau tab) dan baris yang terpotong."
    ) % {"got": got, "want": want}


def reject_if_errors(report: ImportReport) -> None:
    if report.error_count:
        report.message = _(
            "Berkas ditolak: %(rows)s baris bermasalah (%(errors)s kesalahan). Tidak ada data "
            "yang disimpan. Perbaiki baris yang disebut lalu unggah ulang seluruh berkas."
        ) % {"rows": report.rows_rejected, "errors": report.error_count}
        raise ImportRejected
