"""Importing the files admins upload: activations per NIK, daily recaps, KTP-holder counts.

Every file is validated whole before anything is kept, and written in one transaction: all of it
or none of it. Activations stream through a staging table (PostgreSQL COPY) and are merged with
set-based SQL, so memory stays flat whatever the file size. A raw NIK never leaves this module:
rows carry only its keyed hash, and messages show it masked.
"""

import contextlib
import csv
import datetime as dt
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activation as ActivationModel
from .models import ActivationRecap, KtpHolderCount, Region, Segment, Upload
from .nik import nik_hash, nik_mask
from .readers import EXCEL_NUMBER_PREFIX, FileFormatError, table_open

log = logging.getLogger(__name__)

KINDS = ("aktivasi", "rekap", "pemilik_ktp")
IKD_START = dt.date(2022, 1, 1)  # no activation, recap or count can predate IKD
MAX_ERRORS_KEPT = 200  # the report lists this many; the count covers them all
PROGRESS_EVERY = 50_000
IMPORT_LOCK_KEY = 0x1CD_0002  # one import at a time (PostgreSQL advisory lock)

# Column names after normalising (lower case, runs of other characters → "_"), and the aliases
# real exports use for them.
ALIASES = {
    "nik": ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"),
    "tanggal": (
        "tanggal_aktivasi",
        "tgl_aktivasi",
        "tanggal",
        "tgl",
        "tanggal_aktif",
        "per_tanggal",
        "tgl_rekap",
        "tanggal_rekap",
    ),
    "kode_wilayah": (
        "kode_wilayah",
        "kode_desa",
        "kode_kelurahan",
        "kode_desa_kelurahan",
        "kode_kecamatan",
        "kode_wil",
        "kode",
    ),
    "kecamatan": ("kecamatan", "nama_kecamatan", "kec"),
    "desa": ("desa_kelurahan", "desa", "kelurahan", "nama_desa", "nama_kelurahan", "desa_kel"),
    "segmen": ("segmen", "segment", "kategori", "kelompok"),
    "lokasi": ("lokasi", "tempat", "tempat_aktivasi", "lokasi_aktivasi"),
    "jumlah": ("jumlah", "total", "jml", "jumlah_aktivasi", "jumlah_pemilik_ktp", "jumlah_ktp"),
}
# Per kind: the columns it needs (a region by code or by name counts as one) and may have.
REQUIRED = {
    "aktivasi": ("nik", "tanggal", "wilayah"),
    "rekap": ("tanggal", "wilayah", "segmen", "jumlah"),
    "pemilik_ktp": ("wilayah", "segmen", "jumlah", "tanggal"),
}
# Which levels a region may be at, per kind.
LEVELS = {
    "aktivasi": {"kecamatan", "desa", "kelurahan"},
    "rekap": {"kecamatan"},
    "pemilik_ktp": {"kabupaten", "kecamatan", "desa", "kelurahan"},
}
COLUMN_LABELS = {
    "nik": "NIK",
    "tanggal": "tanggal",
    "wilayah": "kode_wilayah",
    "segmen": "segmen",
    "lokasi": "lokasi",
    "jumlah": "jumlah",
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
NIK = re.compile(r"\d{16}")
# Kemendagri province codes: the first two digits of every NIK.
# fmt: off
PROVINCES = {
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64,
    65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
}
# fmt: on


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

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

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)


class ImportRejected(Exception):
    """Raised inside the import transaction so that nothing of a rejected file is kept."""


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _columns(kind: str, header: list[str]) -> dict[str, int]:
    """Map our field names to column positions; FileFormatError when a needed one is missing."""
    positions = {}
    normalised = [normalise_header(h) for h in header]
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in normalised and name not in positions:
                positions[name] = normalised.index(alias)
                break
    if kind == "aktivasi" and "jumlah" in positions and "nik" not in positions:
        raise FileFormatError(_wrong_kind(kind, "rekap"))
    if kind != "aktivasi" and "nik" in positions:
        raise FileFormatError(_wrong_kind(kind, "aktivasi"))
    if kind == "rekap" and "per_tanggal" in normalised:
        raise FileFormatError(_wrong_kind(kind, "pemilik_ktp"))
    missing = [
        COLUMN_LABELS[name]
        for name in REQUIRED[kind]
        if not (
            name in positions
            or (name == "wilayah" and {"kode_wilayah", "kecamatan", "desa"} & positions.keys())
        )
    ]
    if missing:
        raise FileFormatError(
            _(
                "Kolom wajib tidak ada: %(missing)s. Berkas %(kind)s memerlukan kolom %(needed)s; "
                "baris judul berkas ini: %(header)s."
            )
            % {
                "missing": ", ".join(missing),
                "kind": kind,
                "needed": ", ".join(COLUMN_LABELS[n] for n in REQUIRED[kind]),
                "header": ", ".join(h for h in header if h) or _("(kosong)"),
            }
        )
    return positions


def _wrong_kind(kind: str, looks_like: str) -> str:
    return _(
        "Berkas ini tampaknya berkas %(looks_like)s, bukan %(kind)s. Pilih jenis berkas yang "
        "sesuai."
    ) % {"looks_like": looks_like, "kind": kind}


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


def nik_problem(nik: str) -> str | None:
    """Why a NIK is not well-formed, or None. Checks the region part and the birth date."""
    if nik.startswith(EXCEL_NUMBER_PREFIX):
        return _(
            "NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format "
            "kolom NIK sebagai Teks lalu ekspor ulang."
        )
    if not NIK.fullmatch(nik):
        return _("NIK harus 16 digit angka (ada %(n)s karakter).") % {"n": len(nik)}
    if int(nik[:2]) not in PROVINCES or nik[2:4] == "00" or nik[4:6] == "00":
        return _("6 digit pertama NIK bukan kode wilayah yang valid.")
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40  # women: day of birth + 40
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February passes
    except ValueError:
        return _("Digit 7–12 NIK bukan tanggal lahir yang valid (DDMMYY, perempuan +40).")
    if nik[12:] == "0000":
        return _("4 digit terakhir NIK (nomor urut) tidak boleh 0000.")
    return None


def _plain_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip().lower())
    for prefix in ("kecamatan ", "kec. ", "desa ", "kelurahan ", "kel. ", "kabupaten ", "kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class _Lookups:
    """Regions, segments and places, loaded once per import so each row costs dict lookups."""

    def __init__(self):
        self.regions = dict(Region.objects.values_list("code", "level"))
        self.kecamatan_by_name: dict[str, list[str]] = {}
        self.desa_by_name: dict[tuple[str | None, str], list[str]] = {}
        for code, name, level, parent in Region.objects.values_list(
            "code", "name", "level", "parent_id"
        ):
            if level == "kecamatan":
                self.kecamatan_by_name.setdefault(_plain_name(name), []).append(code)
            elif level in ("desa", "kelurahan"):
                self.desa_by_name.setdefault((parent, _plain_name(name)), []).append(code)
                self.desa_by_name.setdefault((None, _plain_name(name)), []).append(code)
        self.segments: dict[str, str] = {}
        for code, name in Segment.objects.values_list("code", "name"):
            self.segments[code.lower()] = code
            self.segments[_plain_name(name)] = code
        self.segments.setdefault("pns", "asn")
        self.segments.setdefault("umum", "umum")
        self.segments.setdefault("pelajar", "pelajar")
        self.places = {}
        for code, label in ActivationModel.Place.choices:
            self.places[code] = code
            self.places[str(label).lower()] = code
        self.dates: dict[str, dt.date | None] = {}

    def region(self, code: str, kecamatan: str, desa: str) -> tuple[str | None, str | None]:
        """(region code, None) or (None, why not) from a code or from names."""
        if code and re.search(r"[A-Za-z]", code):
            # A name where a code should be: fine when it names one kecamatan or one desa.
            if _plain_name(code) in self.kecamatan_by_name:
                kecamatan, desa, code = code, "", ""
            else:
                kecamatan, desa, code = "", code, ""
        if code:
            code = code.strip()
            if re.fullmatch(r"\d{6}(\d{4})?", code):  # written without dots
                code = ".".join(filter(None, [code[:2], code[2:4], code[4:6], code[6:]]))
            if code in self.regions:
                return code, None
            return None, _("Kode wilayah %(code)s tidak dikenal.") % {"code": code}
        kec_codes = self.kecamatan_by_name.get(_plain_name(kecamatan), []) if kecamatan else []
        if kecamatan and not kec_codes:
            return None, _("Kecamatan '%(name)s' tidak dikenal.") % {"name": kecamatan}
        if len(kec_codes) > 1:
            return None, _(
                "Nama kecamatan '%(name)s' ada lebih dari satu; gunakan kode wilayah."
            ) % {"name": kecamatan}
        if not desa:
            return (kec_codes[0], None) if kec_codes else (None, _("Wilayah kosong."))
        parent = kec_codes[0] if kec_codes else None
        desa_codes = self.desa_by_name.get((parent, _plain_name(desa)), [])
        if not desa_codes:
            return None, _("Desa/kelurahan '%(name)s' tidak dikenal%(where)s.") % {
                "name": desa,
                "where": _(" di kecamatan %(k)s") % {"k": kecamatan} if kecamatan else "",
            }
        if len(desa_codes) > 1:
            return None, _(
                "Nama desa/kelurahan '%(name)s' ada di lebih dari satu kecamatan; tambahkan kolom "
                "kecamatan atau gunakan kode wilayah."
            ) % {"name": desa}
        return desa_codes[0], None

    def date(self, value: str) -> dt.date | None:
        if value not in self.dates:
            self.dates[value] = parse_date(value)
        return self.dates[value]


def _cell(cells: list[str], positions: dict[str, int], name: str) -> str:
    i = positions.get(name)
    return cells[i] if i is not None and i < len(cells) else ""


class _RowChecker:
    """Checks the fields every kind shares; appends errors to the report."""

    def __init__(self, kind: str, report: ImportReport, lookups: _Lookups, positions, width):
        self.kind, self.report, self.lookups = kind, report, lookups
        self.positions, self.width = positions, width
        self.today = timezone.localdate()
        self.fatal: FileFormatError | None = None

    def error(self, line: int, column: str, value: str, message: str) -> None:
        self.report.add_error(RowError(line, column, value, message))

    def columns_ok(self, line: int, cells: list[str]) -> bool:
        if len(cells) != self.width:
            self.error(
                line,
                "",
                "",
                _(
                    "Baris ini punya %(got)s kolom, padahal baris judul punya %(want)s. Periksa "
                    "pemisah kolom (, ; atau tab) dan baris yang terpotong."
                )
                % {"got": len(cells), "want": self.width},
            )
            return False
        return True

    def date(self, line: int, raw: str) -> dt.date | None:
        day = self.lookups.date(raw)
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
        return day

    def region(self, line: int, cells: list[str]) -> str | None:
        raw_code = _cell(cells, self.positions, "kode_wilayah")
        kecamatan = _cell(cells, self.positions, "kecamatan")
        desa = _cell(cells, self.positions, "desa")
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
        return code

    def segment(self, line: int, raw: str, default: str | None) -> str | None:
        if not raw and default:
            return default
        code = self.lookups.segments.get(_plain_name(raw)) if raw else None
        if code is None:
            self.error(
                line,
                "segmen",
                raw,
                _("Segmen tidak dikenal. Gunakan salah satu kode: %(codes)s.")
                % {"codes": ", ".join(sorted(set(self.lookups.segments.values())))},
            )
        return code

    def count(self, line: int, raw: str) -> int | None:
        value = parse_count(raw)
        if value is None:
            self.error(
                line,
                "jumlah",
                raw,
                _("Jumlah harus bilangan bulat tidak negatif, misalnya 1234 atau 1.234."),
            )
        return value


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    *,
    kind: str,
    path: Path,
    upload: Upload | None = None,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate a file whole and, unless `dry_run`, write it in one transaction.

    Returns the report; nothing is written when the report is not ok.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = ImportReport(kind=kind)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            with table_open(path) as (header, rows):
                positions = _columns(kind, header)
                checker = _RowChecker(kind, report, _Lookups(), positions, len(header))
                writer = {
                    "aktivasi": _import_activations,
                    "rekap": _import_recaps,
                    "pemilik_ktp": _import_holder_counts,
                }[kind]
                writer(
                    rows=rows,
                    checker=checker,
                    report=report,
                    upload=upload,
                    on_progress=on_progress,
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except FileFormatError as exc:
        report.message = exc.message
        if exc.line:
            report.add_error(RowError(exc.line, "", "", exc.message))
        report.rows_rejected = max(report.rows_rejected, 1)
        return report
    except ImportRejected:
        return report
    if report.rows_read == 0:
        report.message = _("Berkas hanya berisi baris judul, tanpa baris data.")
        return report
    report.ok = True
    return report


def _reject_if_errors(report: ImportReport) -> None:
    if report.error_count:
        report.message = _(
            "Berkas ditolak: %(rows)s baris bermasalah (%(errors)s kesalahan). Tidak ada data "
            "yang disimpan. Perbaiki baris yang disebut lalu unggah ulang seluruh berkas."
        ) % {"rows": report.rows_rejected, "errors": report.error_count}
        raise ImportRejected


# --- aktivasi: staging table + set-based merge ------------------------------------------------

STAGING = "ikd_staging_activation"
STAGED = "ikd_staged_activation"


def _activation_lines(*, rows, checker: _RowChecker, report: ImportReport, on_progress):
    """Validated activations as CSV lines for the staging table (hash, never the NIK)."""
    out = _LineBuffer()
    writer = csv.writer(out, lineterminator="\n")
    try:
        yield from _activation_rows(rows, checker, report, on_progress, writer, out)
    except FileFormatError as exc:
        # Raised out of COPY's read() it would come back as a database error; keep it ours.
        checker.fatal = exc
    yield out.take()


def _rows_to_check(rows, checker: _RowChecker, report: ImportReport, on_progress):
    """The rows with as many cells as the header; every row read is counted, progress reported."""
    for line, cells in rows:
        report.rows_read += 1
        if on_progress and report.rows_read % PROGRESS_EVERY == 0:
            on_progress(report.rows_read)
        if checker.columns_ok(line, cells):
            yield line, cells
        else:
            report.rows_rejected += 1


def _activation_rows(rows, checker, report, on_progress, writer, out):
    positions, lookups = checker.positions, checker.lookups
    nik_at, date_at = positions["nik"], positions["tanggal"]
    default_place = "lainnya"
    for line, cells in _rows_to_check(rows, checker, report, on_progress):
        errors_before = report.error_count
        nik = cells[nik_at].replace(" ", "").lstrip("'")
        problem = nik_problem(nik)
        if problem:
            checker.error(line, "NIK", nik_mask(nik), problem)
        day = checker.date(line, cells[date_at])
        region = checker.region(line, cells)
        segment = checker.segment(line, _cell(cells, positions, "segmen"), default="umum")
        raw_place = _cell(cells, positions, "lokasi")
        place = lookups.places.get(raw_place.lower(), None) if raw_place else default_place
        if place is None:
            checker.error(
                line,
                "lokasi",
                raw_place,
                _("Lokasi tidak dikenal. Gunakan salah satu kode: %(codes)s.")
                % {"codes": ", ".join(c for c, _label in ActivationModel.Place.choices)},
            )
        if report.error_count != errors_before:
            report.rows_rejected += 1
            continue
        if report.error_count:
            continue  # the file is rejected already: keep checking, stop staging
        writer.writerow((line, nik_hash(nik), day.isoformat(), region, segment, place))
        report.touched_regions.add(region)
        if out.size > 1 << 16:
            yield out.take()


class _LineBuffer:
    """A write-only text buffer csv.writer fills and the generator drains in chunks."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text, self.parts, self.size = "".join(self.parts), [], 0
        return text


class _ChunkReader:
    """A file-like view of an iterator of strings, for psycopg2's copy_expert."""

    def __init__(self, chunks: Iterable[str]):
        self.chunks = iter(chunks)
        self.pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self.pending) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.pending += chunk
        if size < 0:
            text, self.pending = self.pending, ""
        else:
            text, self.pending = self.pending[:size], self.pending[size:]
        return text

    readline = read


def _stage(cursor, chunks: Iterator[str]) -> None:
    # Dropped here as well as at commit: two imports can share a transaction (tests, scripts).
    cursor.execute(f"DROP TABLE IF EXISTS {STAGED}")
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} (line integer, nik_hash char(64), activated_on date, "
            f"region_id varchar(20), segment_id varchar(20), place varchar(10)) ON COMMIT DROP"
        )
        cursor.copy_expert(f"COPY {STAGING} FROM STDIN WITH (FORMAT csv)", _ChunkReader(chunks))
        return
    cursor.execute(
        f"CREATE TEMP TABLE {STAGING} (line integer, nik_hash text, activated_on text, "
        f"region_id text, segment_id text, place text)"
    )
    insert = f"INSERT INTO {STAGING} VALUES (%s, %s, %s, %s, %s, %s)"
    for chunk in chunks:
        if chunk:
            cursor.executemany(insert, list(csv.reader(chunk.splitlines())))


def _import_activations(*, rows, checker, report, upload, on_progress) -> None:
    with connection.cursor() as cursor:
        _stage(
            cursor,
            _activation_lines(rows=rows, checker=checker, report=report, on_progress=on_progress),
        )
        if checker.fatal:
            raise checker.fatal
        _reject_if_errors(report)
        on_commit_drop = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
        # One row per NIK: its earliest date in the file (first line on a tie).
        cursor.execute(
            f"""
            CREATE TEMP TABLE {STAGED}{on_commit_drop} AS
            SELECT nik_hash, activated_on, region_id, segment_id, place FROM (
                SELECT s.*, ROW_NUMBER() OVER (
                    PARTITION BY nik_hash ORDER BY activated_on, line
                ) AS copy_number
                FROM {STAGING} s
            ) numbered
            WHERE copy_number = 1
            """
        )
        staged = cursor.rowcount if cursor.rowcount >= 0 else None
        if staged is None:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGED}")
            staged = cursor.fetchone()[0]
        report.duplicates_in_file = report.rows_read - report.rows_rejected - staged
        if report.duplicates_in_file:
            # The same NIK twice in one file with different dates is a conflict too.
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT nik_hash FROM {STAGING} GROUP BY nik_hash "
                f"HAVING COUNT(DISTINCT activated_on) > 1) AS conflicting"
            )
            report.date_conflicts += cursor.fetchone()[0]
        cursor.execute(
            f"""
            SELECT COUNT(*),
                   COALESCE(SUM(CASE WHEN a.activated_on <> s.activated_on THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN s.activated_on < a.activated_on THEN 1 ELSE 0 END), 0),
                   MIN(s.activated_on), MAX(s.activated_on)
            FROM {STAGED} s JOIN kecamatan_activation a ON a.nik_hash = s.nik_hash
            """
        )
        known, conflicts, earlier, _min, _max = cursor.fetchone()
        report.rows_known, report.rows_replaced = known, earlier
        if earlier:
            # Moving a person to an earlier date takes them off their old region's figures too.
            cursor.execute(
                f"SELECT DISTINCT a.region_id FROM {STAGED} s JOIN kecamatan_activation a "
                f"ON a.nik_hash = s.nik_hash WHERE s.activated_on < a.activated_on"
            )
            report.touched_regions.update(code for (code,) in cursor.fetchall())
        report.date_conflicts += conflicts
        report.rows_added = staged - known
        cursor.execute(
            f"""
            INSERT INTO kecamatan_activation
                (nik_hash, activated_on, region_id, segment_id, place, upload_id, created_at)
            SELECT nik_hash, activated_on, region_id, segment_id, place, %s, %s
            FROM {STAGED} WHERE true
            ON CONFLICT (nik_hash) DO UPDATE SET
                activated_on = excluded.activated_on, region_id = excluded.region_id,
                segment_id = excluded.segment_id, place = excluded.place,
                upload_id = excluded.upload_id
            WHERE excluded.activated_on < kecamatan_activation.activated_on
            """,
            [upload.pk if upload else None, timezone.now()],
        )
        cursor.execute(f"DROP TABLE {STAGED}")
        cursor.execute(f"DROP TABLE {STAGING}")


# --- rekap and pemilik_ktp: small files, keyed replace -----------------------------------------


def _keyed_rows(*, rows, checker: _RowChecker, report: ImportReport, on_progress, date_label):
    """{(date, region, segment): (count, line)} from a file of counts; duplicates are errors."""
    positions = checker.positions
    seen: dict[tuple, tuple[int, int]] = {}
    for line, cells in _rows_to_check(rows, checker, report, on_progress):
        errors_before = report.error_count
        day = checker.date(line, cells[positions["tanggal"]])
        region = checker.region(line, cells)
        segment = checker.segment(line, _cell(cells, positions, "segmen"), default=None)
        count = checker.count(line, cells[positions["jumlah"]])
        if report.error_count != errors_before:
            report.rows_rejected += 1
            continue
        key = (day, region, segment)
        if key in seen and seen[key][0] != count:
            checker.error(
                line,
                "jumlah",
                str(count),
                _(
                    "Baris %(other)s sudah memberi jumlah %(count)s untuk %(date_label)s, "
                    "wilayah dan segmen yang sama."
                )
                % {"other": seen[key][1], "count": seen[key][0], "date_label": date_label},
            )
            report.rows_rejected += 1
            continue
        if key in seen:
            report.duplicates_in_file += 1
        seen[key] = (count, line)
    return seen


def _import_recaps(*, rows, checker, report, upload, on_progress) -> None:
    seen = _keyed_rows(
        rows=rows, checker=checker, report=report, on_progress=on_progress, date_label=_("tanggal")
    )
    _reject_if_errors(report)
    _replace_keyed(
        model=ActivationRecap,
        date_field="day",
        count_field="total",
        seen=seen,
        report=report,
        extra={"upload": upload},
    )


def _import_holder_counts(*, rows, checker, report, upload, on_progress) -> None:
    seen = _keyed_rows(
        rows=rows,
        checker=checker,
        report=report,
        on_progress=on_progress,
        date_label=_("per_tanggal"),
    )
    _check_one_level_per_segment(checker, report, seen)
    _reject_if_errors(report)
    _replace_keyed(
        model=KtpHolderCount,
        date_field="valid_from",
        count_field="holders",
        seen=seen,
        report=report,
        extra={},
    )


def _replace_keyed(*, model, date_field: str, count_field: str, seen: dict, report, extra: dict):
    """Insert new (date, region, segment) counts and replace changed ones, counting each kind."""
    existing = {
        (getattr(row, date_field), row.region_id, row.segment_id): getattr(row, count_field)
        for row in model.objects.filter(
            **{f"{date_field}__in": {k[0] for k in seen}},
            region_id__in={k[1] for k in seen},
        )
    }
    _count_keyed(report, seen, existing)
    report.touched_regions.update(region for (_day, region, _segment) in seen)
    model.objects.bulk_create(
        [
            model(**{date_field: d, count_field: n}, region_id=r, segment_id=s, **extra)
            for (d, r, s), (n, _line) in seen.items()
            if existing.get((d, r, s)) != n
        ],
        update_conflicts=True,
        unique_fields=[date_field, "region", "segment"],
        update_fields=[count_field, *extra],
        batch_size=2000,
    )


def _count_keyed(report: ImportReport, seen: dict, existing: dict) -> None:
    for key, (count, _line) in seen.items():
        if key not in existing:
            report.rows_added += 1
        elif existing[key] == count:
            report.rows_known += 1
        else:
            report.rows_replaced += 1


def _check_one_level_per_segment(checker: _RowChecker, report: ImportReport, seen: dict) -> None:
    """Holders roll up by summing descendants, so a segment must be counted at one level only."""
    levels = checker.lookups.regions
    depth = {"kabupaten": 2, "kecamatan": 3, "desa": 4, "kelurahan": 4}
    in_file: dict[str, tuple[int, int]] = {}  # segment → (depth, first line)
    for (_day, region, segment), (_count, line) in seen.items():
        d = depth[levels[region]]
        first = in_file.setdefault(segment, (d, line))
        if first[0] != d:
            checker.error(
                line,
                "kode_wilayah",
                region,
                _(
                    "Segmen %(segment)s diberi angka di tingkat berbeda dalam satu berkas (lihat "
                    "baris %(other)s). Gunakan satu tingkat wilayah per segmen."
                )
                % {"segment": segment, "other": first[1]},
            )
            report.rows_rejected += 1
    stored = dict(
        KtpHolderCount.objects.filter(segment_id__in=in_file.keys())
        .values_list("segment_id", "region__depth")
        .distinct()
    )
    for segment, (d, line) in in_file.items():
        if segment in stored and stored[segment] != d:
            checker.error(
                line,
                "kode_wilayah",
                "",
                _(
                    "Segmen %(segment)s sudah tercatat di tingkat wilayah lain. Gunakan tingkat "
                    "yang sama dengan data sebelumnya agar tidak terhitung dua kali."
                )
                % {"segment": segment},
            )
            report.rows_rejected += 1


# --- uploads: the record around an import -------------------------------------------------------


def upload_create(
    *, kind: str, path: Path, file_name: str, user=None, owns_file: bool = True
) -> Upload:
    """Record an uploaded file; DUPLICATE at once when these exact bytes were imported before.

    With `owns_file` (a file saved from a browser upload) the file is deleted once the upload is
    done with; the command line imports the admin's own file and leaves it where it is.
    """
    sha = _file_sha256(path)
    upload = Upload.objects.create(
        kind=kind,
        file_name=file_name[:255],
        sha256=sha,
        size_bytes=path.stat().st_size,
        uploaded_by=user,
        stored_path=str(path) if owns_file else "",
    )
    earlier = Upload.objects.filter(sha256=sha, status=Upload.Status.IMPORTED).first()
    if earlier:
        upload.status = Upload.Status.DUPLICATE
        upload.message = _(
            "Berkas yang sama persis sudah diimpor pada %(when)s (%(name)s). Tidak ada yang diubah."
        ) % {
            "when": timezone.localtime(earlier.created_at).strftime("%d/%m/%Y %H.%M"),
            "name": earlier.file_name,
        }
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "message", "finished_at"])
        upload_discard_file(upload)
    return upload


def upload_run(
    *,
    upload: Upload,
    dry_run: bool,
    path: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check (dry run) or import an upload's file, and record the outcome on the upload."""
    started = time.monotonic()
    upload.started_at = upload.started_at if dry_run and upload.started_at else timezone.now()
    report = import_file(
        kind=upload.kind,
        path=path or Path(upload.stored_path),
        upload=upload,
        dry_run=dry_run,
        on_progress=on_progress,
    )
    for name in (
        "rows_read",
        "rows_added",
        "rows_known",
        "rows_replaced",
        "rows_rejected",
        "duplicates_in_file",
        "date_conflicts",
    ):
        setattr(upload, name, getattr(report, name))
    upload.errors = [e.as_dict() for e in report.errors]
    upload.touched_regions = sorted(report.touched_regions)
    upload.message = report.message
    if not report.ok:
        upload.status = Upload.Status.REJECTED
    elif dry_run:
        upload.status = Upload.Status.CHECKED
    else:
        upload.status = Upload.Status.IMPORTED
    if upload.status != Upload.Status.CHECKED:
        upload.finished_at = timezone.now()
        upload_discard_file(upload)
    upload.save()
    if upload.status == Upload.Status.IMPORTED and (report.rows_added or report.rows_replaced):
        from .tasks import recompute_after_import_task  # imported here: tasks imports this module

        transaction.on_commit(lambda: recompute_after_import_task.delay(upload.pk))
    log.info(
        "upload %s kind=%s dry_run=%s status=%s read=%s added=%s known=%s replaced=%s "
        "rejected=%s seconds=%.1f",
        upload.pk,
        upload.kind,
        dry_run,
        upload.status,
        report.rows_read,
        report.rows_added,
        report.rows_known,
        report.rows_replaced,
        report.rows_rejected,
        time.monotonic() - started,
    )
    return report


def upload_discard_file(upload: Upload) -> None:
    """The uploaded file holds raw NIKs: it must not outlive the import."""
    if upload.stored_path:
        Path(upload.stored_path).unlink(missing_ok=True)
        upload.stored_path = ""
        if upload.pk:
            Upload.objects.filter(pk=upload.pk).update(stored_path="")


# --- the browser flow: check in the background, confirm, import in the background -------------


def upload_progress_key(upload_id: int) -> str:
    return f"upload:{upload_id}:rows"


def _progress_reporter(upload_id: int) -> Callable[[int], None]:
    def report(rows: int) -> None:
        cache.set(upload_progress_key(upload_id), rows, timeout=24 * 3600)

    return report


def upload_save_file(*, uploaded_file, kind: str, user) -> Upload:
    """Store a browser upload in the private upload folder and record it."""
    settings.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    suffix = Path(uploaded_file.name).suffix.lower()[:6]
    path = settings.UPLOAD_DIR / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as out:
        path.chmod(0o600)
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    return upload_create(kind=kind, path=path, file_name=uploaded_file.name, user=user)


def upload_check(*, upload_id: int) -> None:
    """Dry-run an upload so the admin sees what it would do (status CHECKING → CHECKED)."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status != Upload.Status.CHECKING:
        log.info("upload %s not checked: status is %s", upload_id, upload.status)
        return
    upload_run(upload=upload, dry_run=True, on_progress=_progress_reporter(upload_id))


def upload_confirm(*, upload: Upload) -> bool:
    """CHECKED → QUEUED, once: a second click (or a second tab) finds nothing to change."""
    changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
        status=Upload.Status.QUEUED
    )
    return changed == 1


def upload_cancel(*, upload: Upload) -> bool:
    changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
        status=Upload.Status.CANCELLED, finished_at=timezone.now()
    )
    if changed:
        upload_discard_file(upload)
    return changed == 1


# PostgreSQL advisory-lock class for "this upload is being imported by a live process" (unlike
# IMPORT_LOCK_KEY, which queues imports one after another): held by the importing session and
# freed by the server the moment that process dies.
UPLOAD_ALIVE_LOCK = 7301


@contextlib.contextmanager
def _upload_alive_lock(upload_id: int):
    """Yields True when this process may import the upload (no live process is at it)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [UPLOAD_ALIVE_LOCK, upload_id])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [UPLOAD_ALIVE_LOCK, upload_id])


def upload_import(*, upload_id: int) -> None:
    """Import a confirmed upload (QUEUED → IMPORTING → IMPORTED or REJECTED).

    A redelivered task finds the upload IMPORTING: when no live process holds its import lock
    (the first worker was killed), it imports again; the import is one transaction, so the
    earlier attempt left nothing behind.
    """
    with _upload_alive_lock(upload_id) as free:
        if not free:
            log.info("upload %s not imported: another process is importing it", upload_id)
            return
        claimed = Upload.objects.filter(
            pk=upload_id, status__in=[Upload.Status.QUEUED, Upload.Status.IMPORTING]
        ).update(status=Upload.Status.IMPORTING)
        if not claimed:
            log.info("upload %s not imported: not queued", upload_id)
            return
        upload = Upload.objects.get(pk=upload_id)
        upload_run(upload=upload, dry_run=False, on_progress=_progress_reporter(upload_id))


def uploads_recover_stalled() -> int:
    """Mark failed every import whose process died (IMPORTING, and nobody holds its lock), so
    the admin sees it at once and can try again; returns how many. PostgreSQL only: on the
    embedded default the import runs inside the request that started it."""
    if connection.vendor != "postgresql":
        return 0
    failed = 0
    for upload_id in Upload.objects.filter(status=Upload.Status.IMPORTING).values_list(
        "pk", flat=True
    ):
        with _upload_alive_lock(upload_id) as free:
            if free:
                failed += Upload.objects.filter(
                    pk=upload_id, status=Upload.Status.IMPORTING
                ).update(
                    status=Upload.Status.FAILED,
                    finished_at=timezone.now(),
                    message=_(
                        "Impor terhenti karena proses pekerja berhenti di tengah jalan. Tidak "
                        "ada data dari berkas ini yang tersimpan; klik Coba lagi."
                    ),
                )
    if failed:
        log.warning("%s stalled import(s) marked failed", failed)
    return failed


def upload_retry(*, upload: Upload) -> bool:
    """FAILED → QUEUED when the file is still there; the caller queues the import."""
    if not upload.stored_path or not Path(upload.stored_path).exists():
        return False
    changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.FAILED).update(
        status=Upload.Status.QUEUED, finished_at=None, message=""
    )
    return changed == 1


def uploads_expire(*, older_than: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Cancel previews nobody confirmed and delete stray files, so no raw NIK lingers on disk.

    Returns how many uploads were expired. Safe to run twice: each expiry is a conditional update.
    """
    cutoff = timezone.now() - older_than
    expired = 0
    for upload in Upload.objects.filter(status=Upload.Status.CHECKED, created_at__lt=cutoff):
        changed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
            status=Upload.Status.CANCELLED,
            finished_at=timezone.now(),
            message=_("Tidak dikonfirmasi dalam %(hours)s jam; berkasnya dihapus.")
            % {"hours": int(older_than.total_seconds() // 3600)},
        )
        if changed:
            upload_discard_file(upload)
            expired += 1
    # Files no upload waits for (a crash between saving and recording, say).
    waiting = set(Upload.objects.exclude(stored_path="").values_list("stored_path", flat=True))
    if settings.UPLOAD_DIR.is_dir():
        for path in settings.UPLOAD_DIR.iterdir():
            stale = path.stat().st_mtime < cutoff.timestamp()
            if path.is_file() and stale and str(path) not in waiting:
                path.unlink(missing_ok=True)
    return expired
