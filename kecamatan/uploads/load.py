"""Writing a checked table: activations through a staging table and one set-based merge,
recaps and KTP-holder counts as keyed replaces; all of a file in one transaction, or none of it.

Activations stream through a staging table (PostgreSQL COPY) and are merged with set-based SQL,
so memory stays flat whatever the file size. Rows carry the NIK's keyed hash, never the NIK.
"""

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..dialect import transaction_lock
from ..models import Activation as ActivationModel
from ..models import ActivationRecap, KtpHolderCount, Region, Upload
from ..nik import nik_as_written, nik_hmac_states, nik_mask, nik_problem
from ..progress.facts import facts_recount_recaps
from .columns import column_positions, header_names_columns
from .merge import STAGED, activations_merge
from .peers import import_peer_figures
from .readers import FileFormatError, table_open
from .roster import import_rosters
from .staging import LINES_PER_CHUNK, stage, staged_chunks
from .validate import (
    FOUND_KEPT,
    KINDS,
    ImportRejected,
    ImportReport,
    RegionLookups,
    RowChecker,
    RowError,
    cell,
    reject_if_errors,
    rows_to_check,
)

IMPORT_LOCK_KEY = 0x1CD_0002  # one import at a time (PostgreSQL advisory lock)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def import_file(
    *,
    kind: str,
    path: Path | BinaryIO,
    upload: Upload | None = None,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
    within: str | None = None,
) -> ImportReport:
    """Validate a file whole and, unless `dry_run`, write it in one transaction.

    Returns the report; nothing is written when the report is not ok. With `within` (the
    kecamatan of an Admin limited to one), a row for a region outside it is an error.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = ImportReport(kind=kind)
    try:
        with transaction.atomic():
            transaction_lock(IMPORT_LOCK_KEY)
            is_header = partial(header_names_columns, kind)
            with table_open(path, is_header=is_header) as (header, rows, title_rows):
                report.title_rows = title_rows
                positions = column_positions(kind, header)
                lookups = RegionLookups(within=within)
                checker = RowChecker(kind, report, lookups, positions, len(header))
                writer = {
                    "aktivasi": _import_activations,
                    "rekap": _import_recaps,
                    "pemilik_ktp": _import_holder_counts,
                    "roster": import_rosters,
                    "peringkat": import_peer_figures,
                }[kind]
                if kind == "aktivasi":
                    # A check stops before writing: its counts come from looking the people up,
                    # and writing a million rows only to roll them back doubled its time.
                    writer = partial(writer, write=not dry_run)
                writer(
                    rows=rows,
                    checker=checker,
                    report=report,
                    upload=upload,
                    on_progress=on_progress,
                )
                report.regions_matched = dict(checker.lookups.matched)
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


# --- aktivasi: staging table + set-based merge ------------------------------------------------

STAGING = "ikd_staging_activation"


def _activation_lines(*, rows, checker: RowChecker, report: ImportReport, on_progress):
    """Validated activations as CSV lines for the staging table (hash, never the NIK)."""
    return staged_chunks(
        lambda out: _activation_rows(rows, checker, report, on_progress, out), checker
    )


def _activation_rows(rows, checker, report, on_progress, out):
    # The loop a million-row file runs through, names bound once and no Python call per row
    # that a test inline can spare (each costs ~0,1 s a million rows). A file repeats the same
    # few dates, regions and segments: a value found valid before is taken from a dict here,
    # and only a new one goes through the checker, which also records its errors.
    positions, places = checker.positions, checker.lookups.places
    nik_at, date_at = positions["nik"], positions["tanggal"]
    segment_at, place_at = positions.get("segmen"), positions.get("lokasi")
    inner_copy, outer_copy = nik_hmac_states()
    touched = report.touched_regions.add
    date, region_of, error = checker.date, checker.region, checker.error
    segment_of, segments = checker.segment, checker.segments_found
    code_at, *names_at = checker.region_at
    by_code = {} if names_at == [None, None] else None  # code as written → region
    days = {}  # date as written → (date, ISO text)
    parts, latest = out.parts, None
    append, join = parts.append, "".join
    for line, cells in rows_to_check(rows, checker, report, on_progress):
        errors_before = report.error_count
        nik = cells[nik_at]
        if " " in nik or nik[:1] == "'":
            nik = nik_as_written(nik)
        problem = nik_problem(nik)
        if problem:
            error(line, "NIK", nik_mask(nik), problem)
        raw_day = cells[date_at]
        day, iso = days.get(raw_day) or (date(line, raw_day), None)
        if by_code is None:
            region = region_of(line, cells)
        elif (region := by_code.get(cells[code_at])) is None:
            region = region_of(line, cells)
            if region is not None and len(by_code) < FOUND_KEPT:
                by_code[cells[code_at]] = region
        raw_segment = "" if segment_at is None else cells[segment_at]
        segment = segments.get(raw_segment) if raw_segment else "umum"
        if segment is None:
            segment = segment_of(line, raw_segment, "umum")
        raw_place = "" if place_at is None else cells[place_at]
        place = places.get(raw_place.lower()) if raw_place else "lainnya"
        if place is None:
            error(
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
        if iso is None:  # a date seen for the first time, and valid
            iso = day.isoformat()
            days[raw_day] = day, iso
            if latest is None or day > latest:
                latest = day
        # nik_hash(nik), from the key's states (kecamatan/nik.py).
        first = inner_copy()
        first.update(nik.encode())
        second = outer_copy()
        second.update(first.digest())
        # Codes from our own tables, a hex hash and an ISO date: nothing CSV would quote.
        append(f"{line},{second.hexdigest()},{iso},{region},{segment},{place}\n")
        touched(region)
        if len(parts) >= LINES_PER_CHUNK:
            yield join(parts)
            parts.clear()
    if latest is not None:
        report.saw_date(latest)


def _import_activations(*, rows, checker, report, upload, on_progress, write=True) -> None:
    with connection.cursor() as cursor:
        stage(
            cursor,
            staging=STAGING,
            staged=STAGED,
            # varchar like the store's column, or PostgreSQL cannot probe its index with it.
            columns="line integer, nik_hash varchar(64), activated_on date, "
            "region_id varchar(20), segment_id varchar(20), place varchar(10)",
            chunks=_activation_lines(
                rows=rows, checker=checker, report=report, on_progress=on_progress
            ),
        )
        if checker.fatal:
            raise checker.fatal
        reject_if_errors(report)
        activations_merge(cursor, staging=STAGING, report=report, upload=upload, write=write)
        cursor.execute(f"DROP TABLE {STAGING}")


# --- rekap and pemilik_ktp: small files, keyed replace -----------------------------------------


def _keyed_rows(
    *, rows, checker: RowChecker, report: ImportReport, on_progress, date_label, with_basis=False
):
    """{(date, region, segment[, basis]): (count, line)} from a file of counts; duplicates are
    errors. `with_basis`: the holders' file, whose counts are each of a basis (column dasar)."""
    positions = checker.positions
    seen: dict[tuple, tuple[int, int]] = {}
    for line, cells in rows_to_check(rows, checker, report, on_progress):
        errors_before = report.error_count
        day = checker.date(line, cells[positions["tanggal"]])
        region = checker.region(line, cells)
        segment = checker.segment(line, cell(cells, positions, "segmen"), default=None)
        count = checker.count(line, cells[positions["jumlah"]])
        basis = checker.basis(line, cell(cells, positions, "dasar")) if with_basis else None
        if report.error_count != errors_before:
            report.rows_rejected += 1
            continue
        key = (day, region, segment, basis) if with_basis else (day, region, segment)
        if key in seen and seen[key][0] != count:
            checker.error(
                line,
                "jumlah",
                str(count),
                _(
                    "Baris %(other)s sudah memberi jumlah %(count)s untuk %(date_label)s, "
                    "wilayah, segmen (dan dasar) yang sama."
                )
                % {"other": seen[key][1], "count": seen[key][0], "date_label": date_label},
            )
            report.rows_rejected += 1
            continue
        if key in seen:
            report.duplicates_in_file += 1
            same = _("Sama dengan baris %(other)s: dihitung sekali.")
            report.note_row(line=line, kind="duplicate", message=same % {"other": seen[key][1]})
        seen[key] = (count, line)
        report.saw_date(day)
    return seen


def _import_recaps(*, rows, checker, report, upload, on_progress) -> None:
    seen = _keyed_rows(
        rows=rows, checker=checker, report=report, on_progress=on_progress, date_label=_("tanggal")
    )
    reject_if_errors(report)
    changed = _replace_keyed(
        model=ActivationRecap,
        date_field="day",
        count_field="total",
        seen=seen,
        report=report,
        extra={"upload": upload},
    )
    facts_recount_recaps(keys=changed)


def _import_holder_counts(*, rows, checker, report, upload, on_progress) -> None:
    seen = _keyed_rows(
        rows=rows,
        checker=checker,
        report=report,
        on_progress=on_progress,
        date_label=_("per_tanggal"),
        with_basis=True,
    )
    _check_one_level_per_segment(checker, report, seen)
    reject_if_errors(report)
    _replace_keyed(
        model=KtpHolderCount,
        date_field="valid_from",
        count_field="holders",
        seen=seen,
        report=report,
        extra={},
        keyed_by_basis=True,
    )


def _replace_keyed(
    *,
    model,
    date_field: str,
    count_field: str,
    seen: dict,
    report,
    extra: dict,
    keyed_by_basis: bool = False,
) -> list[tuple]:
    """Insert new (date, region, segment[, basis]) counts and replace changed ones, counting
    each kind; returns the keys written."""
    basis = ("basis",) if keyed_by_basis else ()
    existing = {
        (getattr(row, date_field), row.region_id, row.segment_id, *(row.basis for _ in basis)): (
            getattr(row, count_field)
        )
        for row in model.objects.filter(
            **{f"{date_field}__in": {k[0] for k in seen}},
            region_id__in={k[1] for k in seen},
        )
    }
    _count_keyed(report, seen, existing)
    report.touched_regions.update(key[1] for key in seen)
    changed = [key for key, (n, _line) in seen.items() if existing.get(key) != n]
    model.objects.bulk_create(
        [
            model(
                **{date_field: key[0], count_field: seen[key][0]},
                region_id=key[1],
                segment_id=key[2],
                **dict(zip(basis, key[3:], strict=True)),
                **extra,
            )
            for key in changed
        ],
        update_conflicts=True,
        unique_fields=[date_field, "region", "segment", *basis],
        update_fields=[count_field, *extra],
        batch_size=2000,
    )
    return changed


def _count_keyed(report: ImportReport, seen: dict, existing: dict) -> None:
    for key, (count, _line) in seen.items():
        if key not in existing:
            report.rows_added += 1
        elif existing[key] == count:
            report.rows_known += 1
        else:
            report.rows_replaced += 1


def _check_one_level_per_segment(checker: RowChecker, report: ImportReport, seen: dict) -> None:
    """Holders roll up by summing descendants, so a segment must be counted at one level only."""
    levels = checker.lookups.regions
    in_file: dict[str, tuple[int, int]] = {}  # segment → (depth, first line)
    for (_day, region, segment, *_basis), (_count, line) in seen.items():
        d = Region.DEPTHS[levels[region]]
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
