"""A peers' table (kind `peringkat`): one row per kabupaten/kota, as the province or Ditjen
Dukcapil sends it — `kode_wilayah` (or the name), `tanggal`, `aktivasi`, `penyebut`, and
optionally `dasar` and `persen`. Checked whole; then, per date, it replaces what an earlier table
of the same scope said for that date (kecamatan/peers/ reads it)."""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ..formulas import percent
from ..models import PeerFigure
from ..pagecache import pages_changed
from ..peers.reference import kabkota_all, kabkota_find
from ..vocabulary import format_day, format_number
from .readers import FileFormatError
from .validate import ImportReport, RowChecker, cell, reject_if_errors, rows_to_check

PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,6}))?")


def parse_percent(raw: str) -> tuple[Decimal, int] | None:
    """ "4,9", "4.9%" or "4,93 %" → (4.93, decimals written); None when not a percentage."""
    m = PERCENT.fullmatch(raw.strip().rstrip("%").strip())
    if not m:
        return None
    try:
        return Decimal(f"{m[1]}.{m[2] or 0}"), len(m[2] or "")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def percent_disagrees(given: Decimal, decimals: int, activated: int, denominator: int) -> bool:
    """Whether a written percentage cannot be the two counts' ratio, rounded or cut to the
    decimals written: it is a whole unit of its last digit or more away."""
    return abs(given - percent(activated, denominator)) >= Decimal(1).scaleb(-decimals)


def _shown_percent(value: Decimal) -> str:
    return format_number(value, 2) + "%"


def _row(line: int, cells: list[str], checker: RowChecker) -> PeerFigure | None:
    positions, error = checker.positions, checker.error
    written = cell(cells, positions, "kode_wilayah").strip() or cell(
        cells, positions, "nama_wilayah"
    )
    code, problem = kabkota_find(written)
    if problem:
        error(line, "kode_wilayah", written, problem)
    elif not re.search(r"\d", written) and written.strip():
        checker.lookups.matched.setdefault(written.strip(), (code, _("nama")))
    day = checker.date(line, cell(cells, positions, "tanggal").strip())
    activated = checker.count(line, cell(cells, positions, "aktivasi"), "aktivasi")
    denominator = checker.count(line, cell(cells, positions, "penyebut"), "penyebut")
    basis_raw = cell(cells, positions, "dasar").strip()
    basis = checker.basis(line, basis_raw) if basis_raw else ""
    given_raw = cell(cells, positions, "persen").strip()
    given = parse_percent(given_raw) if given_raw else None
    if given_raw and given is None:
        error(line, "persen", given_raw, _("Bukan persentase, misalnya 4,9 atau 4,9%."))
    if denominator == 0:
        error(line, "penyebut", "0", _("Penyebut 0: persentase tidak dapat dihitung."))
        denominator = None
    if activated is not None and denominator is not None and activated > denominator:
        error(
            line,
            "aktivasi",
            str(activated),
            _("Aktivasi (%(a)s) lebih besar dari penyebut (%(d)s).")
            % {"a": format_number(activated), "d": format_number(denominator)},
        )
        return None
    if (
        given
        and activated is not None
        and denominator
        and percent_disagrees(given[0], given[1], activated, denominator)
    ):
        error(
            line,
            "persen",
            given_raw,
            _(
                "Persen di berkas %(given)s tidak sesuai dengan aktivasi ÷ penyebut "
                "(%(a)s ÷ %(d)s = %(computed)s)."
            )
            % {
                "given": _shown_percent(given[0]),
                "a": format_number(activated),
                "d": format_number(denominator),
                "computed": _shown_percent(percent(activated, denominator)),
            },
        )
        return None
    if not (code and day and activated is not None and denominator and basis is not None):
        return None
    return PeerFigure(
        code=code,
        as_of=day,
        activated=activated,
        denominator=denominator,
        basis=basis,
        percent_given=given[0] if given else None,
    )


def import_peer_figures(*, rows, checker: RowChecker, report: ImportReport, upload, on_progress):
    """Check every row, then replace the figures of the file's scope on each of its dates."""
    if checker.lookups.within:
        raise FileFormatError(
            _("Tabel peringkat diunggah oleh Admin kabupaten, bukan Admin kecamatan.")
        )
    figures, first_line = [], {}
    for line, cells in rows_to_check(rows, checker, report, on_progress):
        figure = _row(line, cells, checker)
        if figure is None:
            report.rows_rejected += 1
            continue
        key = (figure.as_of, figure.code)
        if key in first_line:
            checker.error(
                line,
                "kode_wilayah",
                figure.code,
                _("%(name)s pada tanggal ini sudah ada di baris %(line)s.")
                % {"name": kabkota_all()[figure.code].name, "line": first_line[key]},
            )
            report.rows_rejected += 1
            continue
        first_line[key] = line
        figures.append(figure)
    reject_if_errors(report)
    if not figures:
        return
    provinces = {kabkota_all()[f.code].province_code for f in figures}
    scope = PeerFigure.Scope.PROVINCE if len(provinces) == 1 else PeerFigure.Scope.NATIONAL
    days = sorted({f.as_of for f in figures})
    earlier = {
        (f.as_of, f.code): (f.activated, f.denominator, f.basis)
        for f in PeerFigure.objects.filter(scope=scope, as_of__in=days)
    }
    for figure in figures:
        figure.scope, figure.upload_id = scope, upload.pk if upload else None
        figure.source = _source(scope, provinces)
        before = earlier.get((figure.as_of, figure.code))
        if before is None:
            report.rows_added += 1
        elif before == (figure.activated, figure.denominator, figure.basis):
            report.rows_known += 1
        else:
            report.rows_replaced += 1
    report.message = _scope_message(scope, provinces, figures, days, replacing=bool(earlier))
    PeerFigure.objects.filter(scope=scope, as_of__in=days).delete()
    PeerFigure.objects.bulk_create(figures)
    transaction.on_commit(pages_changed)


def _source(scope: str, provinces: set[str]) -> str:
    if scope == PeerFigure.Scope.NATIONAL:
        return _("tabel nasional")
    (province,) = provinces
    name = next(k.province for k in kabkota_all().values() if k.province_code == province)
    return _("tabel Provinsi %(name)s") % {"name": name}


def _scope_message(scope, provinces, figures, days, *, replacing: bool) -> str:
    message = _("%(source)s: %(n)s kabupaten/kota, per %(days)s.") % {
        "source": _source(scope, provinces)[:1].upper() + _source(scope, provinces)[1:],
        "n": len({f.code for f in figures}),
        "days": ", ".join(format_day(d) for d in days),
    }
    if replacing:
        message += " " + _("Angka tanggal itu yang sudah ada diganti seluruhnya oleh berkas ini.")
    return message
