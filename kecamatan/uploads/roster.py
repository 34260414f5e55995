"""Writing a checked roster file: each institution it names gets exactly the members the file
lists for it (people move, so a roster is replaced, never added to), through a staging table
(COPY) and set-based statements, in the import's one transaction.

Only the NIK's keyed hash is staged and stored, and one flag derived from its region digits:
issued outside the institution's kabupaten. Names and every other column are never read.
"""

import csv
import re

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..dialect import tables_analyze, temp_table_create_as
from ..models import Institution
from ..nik import NIK_LIKE, nik_as_written, nik_hasher, nik_in_text, nik_mask, nik_problem
from ..regions import region_root
from .notes import NOTED_ROWS
from .staging import stage, staged_chunks
from .validate import ImportReport, RowChecker, cell, reject_if_errors, rows_to_check

STAGING = "ikd_staging_roster"
STAGED = "ikd_staged_roster"
CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,29}")
NAME_MAX = Institution._meta.get_field("name").max_length
INSTITUTIONS_NOTED = 200  # institutions the preview lists
# An institution's field → (the column an error points at, the word the message uses).
FIELD_WORDS = {
    "name": ("nama_instansi", _lazy("nama")),
    "kind": ("jenis", _lazy("jenis")),
    "region": ("kode_wilayah", _lazy("wilayah")),
    "segment": ("segmen", _lazy("segmen")),
}


def _kinds() -> dict[str, str]:
    """What a file may write for a kind: its code, its name, and the words offices use."""
    kinds = {code: code for code in Institution.Kind.values}
    kinds.update({str(label).lower(): code for code, label in Institution.Kind.choices})
    kinds.update(
        {
            "perangkat daerah": "opd",
            "dinas": "opd",
            "badan": "opd",
            "sma": "sekolah",
            "smk": "sekolah",
            "ma": "sekolah",
            "sekolah menengah": "sekolah",
            "kodim": "tni",
            "koramil": "tni",
            "polres": "polri",
            "polsek": "polri",
        }
    )
    return kinds


class RosterPlan:
    """The institutions a roster file names: each one's name, kind, region and segment — the
    same on every row it has — and whether the account uploading may touch it."""

    def __init__(self, checker: RowChecker):
        self.checker = checker
        self.kinds = _kinds()
        self.known = {
            code: {"region": region, "segment": segment}
            for code, region, segment in Institution.objects.values_list(
                "code", "region_id", "segment_id"
            )
        }
        self.seen: dict[str, dict] = {}
        self.refused: set[str] = set()  # outside the account's region: said once, on its first row
        self.has_region = {"kode_wilayah", "kecamatan", "desa"} & checker.positions.keys()
        root = region_root()
        self.default_region = checker.lookups.within or (root.code if root else None)

    def institution(self, line: int, cells: list[str]) -> str | None:
        """The row's institution code, or None (with the errors recorded)."""
        checker, positions = self.checker, self.checker.positions
        code = cell(cells, positions, "kode_instansi").strip().upper()
        name = " ".join(cell(cells, positions, "nama_instansi").split())
        raw_kind = cell(cells, positions, "jenis")
        errors = checker.report.error_count
        if not CODE.fullmatch(code) or NIK_LIKE.search(code) or nik_in_text(code):
            checker.error(
                line,
                "kode_instansi",
                code,
                _(
                    "Kode instansi harus 1–30 huruf/angka (boleh . _ -), bukan deret angka "
                    "seperti NIK; mis. DINDIK atau NPSN sekolah."
                ),
            )
        if not name or len(name) > NAME_MAX or NIK_LIKE.search(name) or nik_in_text(name):
            checker.error(
                line,
                "nama_instansi",
                name,
                _("Nama instansi wajib diisi, paling panjang %(n)s karakter, tanpa NIK.")
                % {"n": NAME_MAX},
            )
        kind = self.kinds.get(" ".join(raw_kind.lower().split()))
        if kind is None:
            checker.error(
                line,
                "jenis",
                raw_kind,
                _("Jenis instansi tidak dikenal. Gunakan salah satu kode: %(codes)s.")
                % {"codes": ", ".join(Institution.Kind.values)},
            )
        region = self._region(line, cells)
        segment = None
        if cell(cells, positions, "segmen"):
            segment = checker.segment(line, cell(cells, positions, "segmen"), default=None)
        if checker.report.error_count != errors or code in self.refused:
            return None
        fields = {"name": name, "kind": kind, "region": region, "segment": segment}
        return code if self._same_as_before(line, code, fields) else None

    def _region(self, line: int, cells: list[str]) -> str | None:
        if not self.has_region or not any(
            cell(cells, self.checker.positions, c) for c in self.has_region
        ):
            return None  # not given: the institution keeps its region, a new one gets the default
        return self.checker.region(line, cells)

    def _same_as_before(self, line: int, code: str, fields: dict) -> bool:
        """Whether this row describes its institution as the rows before did (and the account
        may load it); an error for the row otherwise."""
        first = self.seen.get(code)
        if first is None:
            known = self.known.get(code)
            if known and known["region"] not in self.checker.lookups.regions:
                self.refused.add(code)
                self.checker.error(
                    line,
                    "kode_instansi",
                    code,
                    _("Instansi %(code)s terdaftar di wilayah di luar wilayah akun Anda.")
                    % {"code": code},
                )
                return False
            if not known and not fields["region"] and not self.default_region:
                self.checker.error(
                    line, "kode_wilayah", "", _("Wilayah instansi baru ini belum diketahui.")
                )
                return False
            self.seen[code] = {**fields, "line": line}
            return True
        for name, value in fields.items():
            if value is None:
                continue
            if first[name] is None:
                first[name] = value
            elif first[name] != value:
                column, what = FIELD_WORDS[name]
                self.checker.error(
                    line,
                    column,
                    str(value),
                    _(
                        "Baris %(other)s memberi %(what)s lain untuk instansi %(code)s "
                        "(%(first)s). Satu instansi, satu isian."
                    )
                    % {"other": first["line"], "what": what, "code": code, "first": first[name]},
                )
                return False
        return True

    def institutions(self, *, upload, now) -> list[Institution]:
        """The institutions of the file as they will be stored: what the file says, else what
        was stored, else the defaults (the account's kecamatan or the kabupaten; the kind's
        segment)."""
        result = []
        for code, given in self.seen.items():
            known = self.known.get(code, {})
            result.append(
                Institution(
                    code=code,
                    name=given["name"],
                    kind=given["kind"],
                    region_id=given["region"] or known.get("region") or self.default_region,
                    segment_id=given["segment"]
                    or known.get("segment")
                    or Institution.KIND_SEGMENTS[given["kind"]],
                    roster_upload=upload,
                    roster_updated_at=now,
                )
            )
        return result


def _roster_rows(rows, checker: RowChecker, report: ImportReport, on_progress, plan, out):
    writer = csv.writer(out, lineterminator="\n")
    nik_at, hashed = checker.positions["nik"], nik_hasher()
    for line, cells in rows_to_check(rows, checker, report, on_progress):
        errors_before = report.error_count
        nik = nik_as_written(cells[nik_at])
        problem = nik_problem(nik)
        if problem:
            checker.error(line, "NIK", nik_mask(nik), problem)
        code = plan.institution(line, cells)
        if report.error_count != errors_before:
            report.rows_rejected += 1
            continue
        if report.error_count:
            continue  # the file is rejected already: keep checking, stop staging
        # The region digits go no further than this import's temporary table.
        writer.writerow((line, code, hashed(nik), nik[:4]))
        if out.full:
            yield out.take()


def import_rosters(*, rows, checker, report, upload, on_progress) -> None:
    plan = RosterPlan(checker)
    with connection.cursor() as cursor:
        stage(
            cursor,
            staging=STAGING,
            staged=STAGED,
            # varchar like the members' column, or PostgreSQL cannot probe its index with it.
            columns="line integer, code varchar(30), nik_hash varchar(64), nik_region varchar(4)",
            chunks=staged_chunks(
                lambda out: _roster_rows(rows, checker, report, on_progress, plan, out), checker
            ),
        )
        if checker.fatal:
            raise checker.fatal
        reject_if_errors(report)
        # One row per institution and person: the same NIK twice in a roster counts once.
        temp_table_create_as(
            cursor,
            STAGED,
            f"SELECT code, nik_hash, MIN(line) AS line, MIN(nik_region) AS nik_region "
            f"FROM {STAGING} GROUP BY code, nik_hash",
        )
        _count(cursor, report)
        before = _members_by_code(cursor, f"SELECT DISTINCT code FROM {STAGED}")
        _replace(cursor, plan.institutions(upload=upload, now=timezone.now()))
        _note_institutions(cursor, report, plan, before)
        # A roster file can change most of the table at once: plan the next page's GROUP BYs
        # on the new numbers, not on yesterday's (autovacuum would come by later).
        tables_analyze(cursor, "kecamatan_institution", "kecamatan_rostermember")
        cursor.execute(f"DROP TABLE {STAGED}")
        cursor.execute(f"DROP TABLE {STAGING}")


def _count(cursor, report: ImportReport) -> None:
    """Members new to their institution, already on it, and leaving it; duplicates noted."""
    cursor.execute(f"SELECT COUNT(*) FROM {STAGED}")
    staged = cursor.fetchone()[0]
    report.duplicates_in_file = report.rows_read - report.rows_rejected - staged
    cursor.execute(
        f"""
        SELECT COUNT(*) FROM {STAGED} s
        JOIN kecamatan_institution i ON i.code = s.code
        JOIN kecamatan_rostermember m ON m.institution_id = i.id AND m.nik_hash = s.nik_hash
        """
    )
    report.rows_known = cursor.fetchone()[0]
    report.rows_added = staged - report.rows_known
    cursor.execute(
        f"""
        SELECT COUNT(*) FROM kecamatan_rostermember m
        JOIN kecamatan_institution i ON i.id = m.institution_id
        WHERE i.code IN (SELECT code FROM {STAGED})
          AND NOT EXISTS (
              SELECT 1 FROM {STAGED} s WHERE s.code = i.code AND s.nik_hash = m.nik_hash)
        """
    )
    report.rows_replaced = cursor.fetchone()[0]  # leaving their institution's roster
    _note_repeats(cursor, report)


def _note_repeats(cursor, report: ImportReport) -> None:
    """Lines that repeat a NIK of an earlier line: in the same institution (counted once) or in
    another one (a member of both). Line numbers and codes only: staging holds no NIK."""
    cursor.execute(
        f"""
        SELECT line, code, kept_line, kept_code FROM (
            SELECT line, code,
                   ROW_NUMBER() OVER (PARTITION BY nik_hash ORDER BY line) AS n,
                   FIRST_VALUE(line) OVER (PARTITION BY nik_hash ORDER BY line) AS kept_line,
                   FIRST_VALUE(code) OVER (PARTITION BY nik_hash ORDER BY line) AS kept_code
            FROM {STAGING}
        ) numbered
        WHERE n > 1 ORDER BY line LIMIT {NOTED_ROWS}
        """
    )
    for line, code, kept_line, kept_code in cursor.fetchall():
        same = code == kept_code
        report.note_row(
            line=line,
            kind="duplicate" if same else "elsewhere",
            message=(
                _("NIK yang sama dengan baris %(kept)s di instansi yang sama: dihitung sekali.")
                if same
                else _(
                    "NIK yang sama juga di baris %(kept)s (instansi %(other)s): tercatat sebagai "
                    "anggota kedua instansi."
                )
            )
            % {"kept": kept_line, "other": kept_code},
        )


def _members_by_code(cursor, codes_sql: str) -> dict[str, tuple[int, int]]:
    """{code: (members, members from outside the kabupaten)} for the institutions selected."""
    cursor.execute(
        f"""
        SELECT i.code, COUNT(m.id),
               COALESCE(SUM(CASE WHEN m.outside_kabupaten THEN 1 ELSE 0 END), 0)
        FROM kecamatan_institution i
        LEFT JOIN kecamatan_rostermember m ON m.institution_id = i.id
        WHERE i.code IN ({codes_sql})
        GROUP BY i.code
        """
    )
    return {code: (int(n), int(outside)) for code, n, outside in cursor.fetchall()}


def _replace(cursor, institutions: list[Institution]) -> None:
    """Store the institutions, then give each exactly the roster of the file."""
    Institution.objects.bulk_create(
        institutions,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind", "region", "segment", "roster_upload", "roster_updated_at"],
        batch_size=1000,
    )
    cursor.execute(
        f"""
        DELETE FROM kecamatan_rostermember WHERE institution_id IN (
            SELECT id FROM kecamatan_institution WHERE code IN (SELECT code FROM {STAGED}))
        """
    )
    # Outside the kabupaten: the NIK's first digits (where it was issued) are not those of the
    # institution's kabupaten. Only this flag is kept of them.
    cursor.execute(
        f"""
        INSERT INTO kecamatan_rostermember (institution_id, nik_hash, outside_kabupaten)
        SELECT home.id, s.nik_hash, SUBSTR(s.nik_region, 1, LENGTH(home.digits)) <> home.digits
        FROM {STAGED} s
        JOIN (
            SELECT id, code, SUBSTR(REPLACE(region_id, '.', ''), 1, 4) AS digits
            FROM kecamatan_institution
        ) home ON home.code = s.code
        """
    )


def _note_institutions(cursor, report: ImportReport, plan: RosterPlan, before: dict) -> None:
    """For the preview: each institution of the file, its members before and after, and how
    many of them hold a NIK from outside the kabupaten."""
    after = _members_by_code(cursor, f"SELECT DISTINCT code FROM {STAGED}")
    for code, given in sorted(plan.seen.items())[:INSTITUTIONS_NOTED]:
        members, outside = after.get(code, (0, 0))
        report.institutions.append(
            {
                "code": code,
                "name": given["name"],
                "kind": given["kind"],
                "new": code not in plan.known,
                "before": before.get(code, (0, 0))[0] if code in plan.known else None,
                "after": members,
                "outside": outside,
            }
        )
