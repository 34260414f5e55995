"""What an activation file's preview says beyond its errors: the lines that repeat a NIK of the
file, and those whose NIK is already recorded with another date. Only line numbers and dates are
shown: the staging tables hold hashes, never a NIK."""

from django.utils.translation import gettext as _

from .validate import ImportReport

NOTED_ROWS = 100  # rows of each kind the preview lists


def note_duplicates(cursor, report: ImportReport, *, staging: str) -> None:
    """The lines that repeat a NIK of an earlier line of the file, and which line counts."""
    cursor.execute(
        f"""
        SELECT line, activated_on, kept_line, kept_on FROM (
            SELECT line, activated_on,
                   ROW_NUMBER() OVER (PARTITION BY nik_hash ORDER BY activated_on, line) AS n,
                   FIRST_VALUE(line) OVER (
                       PARTITION BY nik_hash ORDER BY activated_on, line) AS kept_line,
                   FIRST_VALUE(activated_on) OVER (
                       PARTITION BY nik_hash ORDER BY activated_on, line) AS kept_on
            FROM {staging}
        ) numbered
        WHERE n > 1 ORDER BY line LIMIT {NOTED_ROWS}
        """
    )
    for line, day, kept_line, kept_on in cursor.fetchall():
        same = str(day) == str(kept_on)
        report.note_row(
            line=line,
            kind="duplicate" if same else "conflict",
            message=(
                _("NIK yang sama dengan baris %(kept)s, tanggal sama: dihitung sekali.")
                if same
                else _(
                    "NIK yang sama dengan baris %(kept)s, tanggal lain (%(day)s): dipakai "
                    "tanggal paling awal, %(kept_on)s."
                )
            )
            % {"kept": kept_line, "day": day, "kept_on": kept_on},
        )


def note_stored_conflicts(cursor, report: ImportReport, *, staged: str) -> None:
    """The lines whose NIK is already recorded with another activation date (`staged` has the
    stored date beside the file's, kecamatan/uploads/merge.py)."""
    cursor.execute(
        f"""
        SELECT line, activated_on, stored_on FROM {staged}
        WHERE stored_on <> activated_on ORDER BY line LIMIT {NOTED_ROWS}
        """
    )
    for line, day, stored in cursor.fetchall():
        earlier = str(day) < str(stored)
        report.note_row(
            line=line,
            kind="conflict",
            message=(
                _(
                    "NIK sudah tercatat aktivasi %(stored)s; tanggal berkas %(day)s lebih awal "
                    "dan menggantikannya."
                )
                if earlier
                else _(
                    "NIK sudah tercatat aktivasi %(stored)s; tanggal berkas %(day)s diabaikan "
                    "(tanggal paling awal yang dipakai)."
                )
            )
            % {"stored": stored, "day": day},
        )
