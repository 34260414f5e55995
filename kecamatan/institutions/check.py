"""Check my list (cek daftar): an Admin sends an institution's staff list and gets the same list
back as XLSX with two columns added, `status_ikd` (sudah / belum) and the activation date, so
an OPD can chase exactly who is missing.

The list is read, matched and written in memory only (never the disk, never the database): the
view hands over a file kept in memory (MemoryFileUploadHandler) and the workbook is written by
XlsxWriter in memory. Each check is in the audit trail (who, when, how many rows, how many
found), and checks are limited in size and in number per account, so the feature cannot become a
lookup service for arbitrary NIKs (docs/privacy.md).
"""

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts.audit import audit
from ..models import Activation, AuditEvent
from ..nik import EXCEL_NUMBER_PREFIX, nik_as_written, nik_hash, nik_mask_text, nik_problem
from ..uploads.columns import ALIASES, normalise_header
from ..uploads.readers import FileFormatError, table_open
from ..vocabulary import format_number

MAX_ROWS = 20_000  # the largest OPD of a kabupaten (teachers) with room to spare
MATCH_BATCH = 2_000
STATUS_COLUMN, DATE_COLUMN = "status_ikd", "tanggal_aktivasi_ikd"
ADDED = (STATUS_COLUMN, DATE_COLUMN)


# --- the request: the list stays in memory ------------------------------------------------------

TOO_LARGE = "_ikd_list_too_large"


class ListInMemory(MemoryFileUploadHandler):
    """Keeps the list in memory whatever its size up to the check's limit: Django's own handler
    would spill a file above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and this one holds
    raw NIKs. A larger body is cut off and noted on the request, never written anywhere."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit, self.received = limit, 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True  # whatever FILE_UPLOAD_MAX_MEMORY_SIZE says

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, TOO_LARGE, True)
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def keep_uploads_in_memory(request) -> None:
    """Call before anything reads the request's body (the CSRF check does)."""
    request.upload_handlers = [ListInMemory(request, settings.ROSTER_CHECK_MAX_BYTES)]


def list_too_large(request) -> bool:
    return getattr(request, TOO_LARGE, False)


def check_limits() -> dict:
    """The limits, for the page and the API's messages."""
    return {
        "size": filesizeformat(settings.ROSTER_CHECK_MAX_BYTES),
        "rows": MAX_ROWS,
        "per_hour": settings.ROSTER_CHECK_PER_HOUR,
        "rows_per_day": settings.ROSTER_CHECK_ROWS_PER_DAY,
    }


# --- the check ----------------------------------------------------------------------------------


class CheckRefused(Exception):
    """The list cannot be checked; the message says why, in words for the Admin. `status` is
    the API's answer: 400 for the file, 413 too large, 429 past the account's limits."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class CheckResult:
    workbook: bytes
    file_name: str
    rows: int
    found: int
    invalid: int


def roster_check(*, uploaded_file, user) -> CheckResult:
    """Check a list kept in memory against the activation store; the audit entry says who,
    when, how many rows and how many found (or why the check was refused)."""
    try:
        if not isinstance(uploaded_file, InMemoryUploadedFile):
            raise TypeError("a list to check must be kept in memory (MemoryFileUploadHandler)")
        _count_use(user)
        header, nik_at, rows = _read(uploaded_file)
        _count_rows(user, len(rows))
        result = _checked(header, nik_at, rows, name=uploaded_file.name)
    except CheckRefused as refusal:
        audit(
            AuditEvent.Action.ROSTER_CHECK,
            user=user,
            target=_shown_name(uploaded_file.name),
            refused=str(refusal),
        )
        raise
    audit(
        AuditEvent.Action.ROSTER_CHECK,
        user=user,
        target=_shown_name(uploaded_file.name),
        rows=result.rows,
        found=result.found,
        invalid=result.invalid,
    )
    return result


def _shown_name(name: str) -> str:
    return nik_mask_text(Path(name or "").name, limit=120)


# --- limits -----------------------------------------------------------------------------------


def _count_use(user) -> None:
    """At most ROSTER_CHECK_PER_HOUR checks an hour per account (attempts count too)."""
    now = timezone.localtime()
    key = f"ikd:roster-check:{user.pk}:{now:%Y%m%d%H}"
    cache.add(key, 0, 3600)
    if cache.incr(key) > settings.ROSTER_CHECK_PER_HOUR:
        raise CheckRefused(
            _(
                "Batas cek daftar tercapai: %(n)s kali per jam per akun. Coba lagi setelah pukul "
                "%(hour)02d.00."
            )
            % {"n": settings.ROSTER_CHECK_PER_HOUR, "hour": (now.hour + 1) % 24},
            status=429,
        )


def _count_rows(user, rows: int) -> None:
    """At most ROSTER_CHECK_ROWS_PER_DAY rows a day per account."""
    key = f"ikd:roster-check-rows:{user.pk}:{timezone.localdate():%Y%m%d}"
    cache.add(key, 0, 24 * 3600)
    used = cache.get(key, 0)
    if used + rows > settings.ROSTER_CHECK_ROWS_PER_DAY:
        raise CheckRefused(
            _(
                "Batas harian cek daftar: %(limit)s baris per akun; hari ini sudah %(used)s, "
                "berkas ini %(rows)s. Coba lagi besok atau bagi berkasnya."
            )
            % {
                "limit": format_number(settings.ROSTER_CHECK_ROWS_PER_DAY),
                "used": format_number(used),
                "rows": format_number(rows),
            },
            status=429,
        )
    cache.incr(key, rows)


# --- reading, matching, writing ---------------------------------------------------------------


def _read(uploaded_file) -> tuple[list[str], int, list[list[str]]]:
    """The header, which column holds the NIK, and the rows."""
    if uploaded_file.size > settings.ROSTER_CHECK_MAX_BYTES:
        raise CheckRefused(
            _("Berkas terlalu besar untuk cek daftar; batasnya %(size)s.") % check_limits(),
            status=413,
        )
    try:
        # A list under a title block (the school's name, a date) is read from its header.
        with table_open(uploaded_file.file, is_header=_names_nik) as (header, rows, _title):
            nik_at = _nik_column(header)
            kept = []
            for _line, cells in rows:
                if len(kept) == MAX_ROWS:
                    raise CheckRefused(
                        _("Berkas lebih dari %(n)s baris; bagi menjadi beberapa berkas.")
                        % {"n": format_number(MAX_ROWS)},
                        status=413,
                    )
                kept.append(cells)
    except FileFormatError as error:
        raise CheckRefused(error.message) from None
    return header, nik_at, kept


def _nik_at(header: list[str]) -> int | None:
    names = [normalise_header(h) for h in header]
    return next((names.index(alias) for alias in ALIASES["nik"] if alias in names), None)


def _names_nik(cells: list[str]) -> bool:
    return _nik_at(cells) is not None


def _nik_column(header: list[str]) -> int:
    if (nik_at := _nik_at(header)) is not None:
        return nik_at
    raise CheckRefused(
        _(
            "Kolom NIK tidak ditemukan. Beri judul kolom NIK (mis. nik atau no_nik) di baris "
            "pertama."
        )
    )


def _checked(header: list[str], nik_at: int, rows: list[list[str]], *, name: str) -> CheckResult:
    # A list checked before comes back with fresh columns, not a second pair.
    keep = [i for i, h in enumerate(header) if normalise_header(h) not in ADDED]
    hashes = []
    for cells in rows:
        nik = nik_as_written(cells[nik_at] if nik_at < len(cells) else "")
        hashes.append(None if nik_problem(nik) else nik_hash(nik))
    activated = _activation_dates({h for h in hashes if h})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})  # never a temporary file
    sheet = book.add_worksheet(_("Cek IKD"))
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for column, title in enumerate([*(header[i] for i in keep), *ADDED]):
        sheet.write_string(0, column, title, bold)
    found = invalid = 0
    for row_number, (cells, digest) in enumerate(zip(rows, hashes, strict=True), start=1):
        for column, i in enumerate(keep):
            value = cells[i] if i < len(cells) else ""
            sheet.write_string(row_number, column, value.removeprefix(EXCEL_NUMBER_PREFIX))
        day = activated.get(digest) if digest else None
        status = "sudah" if day else "belum" if digest else _("NIK tidak valid")
        sheet.write_string(row_number, len(keep), status)
        if day:
            sheet.write_datetime(row_number, len(keep) + 1, day, date_format)
        found += bool(day)
        invalid += digest is None
    sheet.set_column(0, len(keep) + 1, 18)
    book.close()
    return CheckResult(
        workbook=out.getvalue(),
        file_name=f"cek-ikd-{_safe_stem(name)}.xlsx",
        rows=len(rows),
        found=found,
        invalid=invalid,
    )


def _activation_dates(hashes: set[str]) -> dict[str, dt.date]:
    """{hash: activation date} for the hashes in the activation store, in batches."""
    ordered, dates = sorted(hashes), {}
    for start in range(0, len(ordered), MATCH_BATCH):
        dates.update(
            Activation.objects.filter(
                nik_hash__in=ordered[start : start + MATCH_BATCH]
            ).values_list("nik_hash", "activated_on")
        )
    return dates


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name or "daftar").stem).strip("-.")
    return (re.sub(r"\d{11,}", "x", stem) or "daftar")[:60]
