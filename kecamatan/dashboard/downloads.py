"""Every table of a region page as a CSV or XLSX download: plain numbers, safe to open in Excel."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ikd_dashboard.spreadsheets import CONTENT_TYPES, download_response

from ..exports import export_metadata, percent_basis, region_label
from ..progress.reconcile import reconciliation_rows
from ..progress.selectors import RegionProgress, Trend, milestone_status
from ..vocabulary import denominator_title, projection_of

TABLES = ("wilayah", "segmen", "bulanan", "rekonsiliasi")


def _figure_columns(denominator: str) -> list[tuple[str, str]]:
    return [
        ("holders", denominator_title(denominator)),
        ("activated", _("Sudah aktivasi")),
        ("percent", _("Capaian (%)")),
        ("target_percent", _("Target (%)")),
        ("target_people", _("Target (orang)")),
        ("gap_people", _("Kekurangan (orang)")),
        ("pace_30d_per_day", _("Laju 30 hari (orang/hari)")),
        ("pace_7d_per_day", _("Laju 7 hari (orang/hari)")),
        ("needed_per_day", _("Dibutuhkan (orang/hari)")),
        ("milestone_people", _("Seharusnya sudah (orang)")),
        ("projected_date", _("Proyeksi tercapai")),
        ("target_deadline", _("Tenggat target")),
    ]


def table_rows(*, table: str, progress: RegionProgress, trend: Trend) -> list[list]:
    """The header and the rows of one table, values unformatted (numbers stay numbers)."""
    if table == "rekonsiliasi":
        header = [_("Per tanggal"), _("Sumber"), _("Resmi"), _("Kita"), _("Selisih")]
        rows = reconciliation_rows(region_code=progress.region.code)
        return [
            header,
            *([r["as_of"], r["source"], r["official"], r["ours"], r["difference"]] for r in rows),
        ]
    if table == "bulanan":
        header = [_("Akhir bulan"), _("Aktivasi baru"), _("Kumulatif")]
        rows = zip(trend.months, trend.monthly, trend.cumulative, strict=True)
        return [header, *([m, n, c] for m, n, c in rows)]
    columns = _figure_columns(progress.denominator)
    if table == "segmen":
        header = [
            _("Kode segmen"),
            _("Segmen"),
            *(label for _key, label in columns),
            _("Proyeksi dengan laju sekarang"),
        ]
        rows = [[s["code"], s["name"], *_values(s, columns)] for s in progress.segments]
        if progress.combined:
            together = {k: progress.combined.get(k) for k, _label in columns}
            name = _("Gabungan: %(names)s") % {"names": progress.combined["name"]}
            rows.append(["+".join(progress.combined["codes"]), name, *_values(together, columns)])
        return [header, *rows]
    status = {"ahead": _("di depan"), "behind": _("tertinggal")}
    header = [
        _("Kode wilayah"),
        _("Wilayah"),
        *(label for _key, label in columns),
        _("Proyeksi dengan laju sekarang"),
        _("Terhadap yang seharusnya"),
    ]
    return [
        header,
        *(
            [c["code"], c["name"], *_values(c, columns), status.get(milestone_status(c), "")]
            for c in progress.children
        ),
    ]


def _values(figures: dict, columns) -> list:
    """The figures in the pages' vocabulary: one pace unit, and the projection in words."""
    projection = projection_of(figures)
    return [figures[key] for key, _label in columns] + [
        projection.headline if figures.get("percent") is not None else ""
    ]


def table_response(
    *, table: str, file_format: str, progress: RegionProgress, trend: Trend
) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404(_("Format unduhan tidak dikenal."))
    rows = table_rows(table=table, progress=progress, trend=trend)
    parts = [progress.region.code, table, progress.segment, progress.as_of.isoformat()]
    metadata = export_metadata(
        title=table,
        region=region_label(progress.region),
        as_of=progress.as_of,
        basis=percent_basis(progress.denominator),
        header=rows[0],
        extra=[(_("Segmen"), progress.segment)] if progress.segment else [],
    )
    return download_response(
        file_format=file_format,
        title=table,
        rows=rows,
        metadata=metadata,
        stem="capaian-" + "-".join(p for p in parts if p),
    )
