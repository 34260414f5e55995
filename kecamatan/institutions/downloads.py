"""The institution ranking as a CSV or XLSX download: the rows and totals a viewer may see,
plain numbers, safe to open in Excel."""

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ikd_dashboard.spreadsheets import download_response

from ..exports import export_metadata, region_label
from ..models import Region
from ..progress.disclosure import InstitutionTable

FIGURES = ("members", "outside", "members_counted", "activated", "percent")
TARGET = ("target_people", "gap_people")


def _sources() -> dict[str, str]:
    return {
        "instansi": _("target instansi"),
        "jenis": _("target jenis instansi"),
        "segmen": _("target segmen"),
    }


def ranking_rows(table: InstitutionTable) -> list[list]:
    """The header, a row per institution, the totals (of the rows with counts shown)."""
    header = [
        _("Kode instansi"),
        _("Instansi"),
        _("Jenis"),
        _("Kode wilayah"),
        _("Wilayah"),
        _("Anggota"),
        _("NIK dari luar kabupaten"),
        _("Anggota dihitung"),
        _("Sudah aktivasi"),
        _("Capaian (%)"),
        _("Target (%)"),
        _("Dasar target"),
        _("Tenggat target"),
        _("Target (orang)"),
        _("Kekurangan (orang)"),
    ]
    sources = _sources()
    rows = [
        [
            r["code"],
            r["name"],
            r["kind_label"],
            r["region"],
            r["region_name"],
            *(r[k] for k in FIGURES),
            r["target_percent"],
            sources.get(r["target_source"], ""),
            r["target_deadline"],
            *(r[k] for k in TARGET),
        ]
        for r in table.rows
    ]
    t = table.totals
    label = _("Jumlah (%(n)s instansi)") % {"n": t["institutions"]}
    totals = [
        label,
        "",
        "",
        "",
        "",
        *(t[k] for k in FIGURES),
        None,
        "",
        None,
        *(t[k] for k in TARGET),
    ]
    notes = []
    if table.hidden:
        notes.append(
            [
                _(
                    "%(n)s instansi beranggota kurang dari 5 orang ditampilkan <5 dan tidak "
                    "termasuk dalam jumlah."
                )
                % {"n": table.hidden}
            ]
        )
    return [header, *rows, totals, *notes]


def ranking_response(
    *, table: InstitutionTable, file_format: str, as_of: dt.date, region: Region | None
) -> HttpResponse:
    rows = ranking_rows(table)
    metadata = export_metadata(
        title=_("Instansi"),
        region=region_label(region),
        as_of=as_of,
        basis=_("Anggota dihitung: capaian (%) = sudah aktivasi ÷ anggota dihitung × 100"),
        header=rows[0],
    )
    return download_response(
        file_format=file_format,
        title=_("Instansi"),
        rows=rows,
        metadata=metadata,
        stem=f"capaian-instansi-{as_of.isoformat()}",
    )
