"""The open page's figures (/publik/): what the published monthly report says, as the public may
see it, and the same as Satu Data files (the data, and a metadata file that describes it).

Only an issued report is read — the kabupaten's MonthlyReport, latest revision of the latest
month. A draft (the report page's preview from today's data) is never stored, so it cannot reach
the open page; a correction reaches it when an Admin issues a revision, as it reaches leadership.
What leaves is picked field by field: the kabupaten's figures against the target, each
kecamatan's row, the trend, and the segments with the small-count rule applied as for Staf
(progress/disclosure.py: the public is no more privileged than Staf). Desa only with
PUBLIC_PAGE_DESA, and then only those the report itself lists (the largest gaps). Nothing else of
the report (institutions, outreach, officers, its letter) is shown.
"""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikd_dashboard.spreadsheets import csv_bytes
from kecamatan.exports import export_metadata, percent_basis
from kecamatan.formulas import milestone_people
from kecamatan.pagecache import TIMEOUT_SECONDS, page_key, pages_generation
from kecamatan.progress.disclosure import report_figures_for_viewer

from .models import MonthlyReport
from .monthly import report_charts

TOTALS = (
    "holders",
    "activated",
    "percent",
    "target_percent",
    "target_people",
    "gap_people",
    "target_deadline",
    "pace_30d_per_day",
    "needed_per_day",
    "milestone_people",
    "milestone_status",
    "projected_date",
)
KECAMATAN = (
    "code",
    "name",
    "holders",
    "activated",
    "percent",
    "new",
    "target_people",
    "gap_people",
)
SEGMENT = (
    "code",
    "name",
    "holders",
    "activated",
    "percent",
    "target_percent",
    "target_people",
    "gap_people",
    "masked",
)
DESA = ("code", "name", "kecamatan", "holders", "activated", "percent", "gap_people")


def public_report() -> MonthlyReport | None:
    """The report the open page shows: the latest revision of the kabupaten's latest issued
    month (one query; its PDF is not read)."""
    issued = MonthlyReport.objects.filter(scope="").defer("pdf", "changes")
    return issued.order_by("-month", "-revision").first()


def _pick(row: dict, names: tuple) -> dict:
    return {name: row.get(name) for name in names}


def public_figures(report: MonthlyReport, *, desa: bool) -> dict:
    """The report's figures the public may see (the small-count rule applied as for Staf)."""
    shown = report_figures_for_viewer(report.figures, user=AnonymousUser())
    return {
        "month": shown["month"],
        "as_of": shown["as_of"],
        "partial": shown["partial"],
        "region": shown["region"],
        "denominator": shown.get("denominator"),
        "target": shown.get("target"),
        "totals": _pick(shown["totals"], TOTALS),
        "new_this_month": shown["new_this_month"],
        "kecamatan": [_pick(k, KECAMATAN) for k in shown["kecamatan"]],
        "segments": [_pick(s, SEGMENT) for s in shown["segments"]],
        "combined": shown.get("combined"),
        "desa": [_pick(d, DESA) for d in shown["desa_gaps"]] if desa else [],
        "trend": shown["trend"],
    }


def trend_rows(figures: dict) -> list[dict]:
    """Each month's end with the people activated by then and where the current target's
    straight line says they should be (none before the target began)."""
    trend = figures["trend"]
    line = trend["trajectories"][-1] if trend["trajectories"] else None
    rows = []
    for month, cumulative in zip(trend["months"], trend["cumulative"], strict=True):
        day = dt.date.fromisoformat(month)
        path = None
        if line:
            start, start_people = dt.date.fromisoformat(line["start"][0]), line["start"][1]
            end, end_people = dt.date.fromisoformat(line["end"][0]), line["end"][1]
            if day >= start:
                path = milestone_people(
                    start_people, end_people, (day - start).days, (end - start).days
                )
        rows.append({"month": day, "activated": cumulative, "path": path})
    return rows


def public_context(report: MonthlyReport, *, desa: bool) -> dict:
    """The figures, charts and trend table of the open page, built once per report revision,
    data generation (the small-segment groups follow the data), language and desa setting."""
    key = page_key(pages_generation(), "public", report.pk, get_language(), desa)
    context = cache.get(key)
    if context is None:
        figures = public_figures(report, desa=desa)
        # The charts draw the kabupaten and kecamatan rows and the trend: no segment in them.
        charts = report_charts(report.figures)
        context = {
            "figures": figures,
            "trend_rows": trend_rows(figures),
            # Alphabetical: a resident looks for their own kecamatan, not a ranking.
            "kecamatan": sorted(figures["kecamatan"], key=lambda k: k["name"]),
            "charts": {"trend": charts["trend"], "gap": charts["gap"]},
            "month": dt.date.fromisoformat(figures["month"]),
            "as_of": dt.date.fromisoformat(figures["as_of"]),
        }
        cache.set(key, context, TIMEOUT_SECONDS)
    return context


# --- the Satu Data files ----------------------------------------------------------------------

# Column names a program can rely on, whatever the page's language.
DATA_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "tingkat_wilayah",
    "kode_wilayah_induk",
    "tanggal_data",
    "dasar_persentase",
    "jumlah_dasar",
    "sudah_aktivasi",
    "capaian_persen",
    "target_persen",
    "target_orang",
    "kekurangan_orang",
]


def _level(code: str) -> str:
    parts = code.split(".")
    if len(parts) <= 2:
        return "kabupaten"
    if len(parts) == 3:
        return "kecamatan"
    return "kelurahan" if parts[3].startswith("1") else "desa"


def public_data_rows(figures: dict) -> list[list]:
    """One row per region: the kabupaten, each kecamatan, and desa when the page shows them."""
    basis = figures.get("denominator") or ""
    as_of, top, totals = figures["as_of"], figures["region"]["code"], figures["totals"]
    rows = [DATA_COLUMNS]

    def row(code, name, parent, values, target_percent=None):
        return [
            code,
            name,
            _level(code),
            parent,
            as_of,
            basis,
            values.get("holders"),
            values.get("activated"),
            values.get("percent"),
            target_percent,
            values.get("target_people"),
            values.get("gap_people"),
        ]

    rows.append(row(top, figures["region"]["name"], "", totals, totals["target_percent"]))
    for k in sorted(figures["kecamatan"], key=lambda k: k["code"]):
        rows.append(row(k["code"], k["name"], top, k))
    for d in sorted(figures["desa"], key=lambda d: d["code"]):
        rows.append(row(d["code"], d["name"], d["code"].rsplit(".", 1)[0], d))
    return rows


def public_metadata_rows(report: MonthlyReport, figures: dict) -> list[list]:
    """The metadata file: what the data file is, of where, as of when, from which report, and
    what each of its columns means."""
    region = f"{figures['region']['name']} ({figures['region']['code']})"
    levels = _("kabupaten dan kecamatan")
    if figures["desa"]:
        levels = _(
            "kabupaten, kecamatan, dan %(n)s desa/kelurahan dengan kekurangan terbesar menurut "
            "laporan"
        ) % {"n": len(figures["desa"])}
    issued = timezone.localdate(report.issued_at) if report.issued_at else None
    rows = export_metadata(
        title=_("Capaian aktivasi IKD per wilayah"),
        region=region,
        as_of=dt.date.fromisoformat(figures["as_of"]),
        basis=percent_basis(figures.get("denominator")),
        header=[],
        extra=[
            (
                _("Laporan"),
                _("Laporan bulanan %(month)s nomor %(number)s, revisi %(revision)s")
                % {
                    "month": figures["month"][:7],
                    "number": report.number or "–",
                    "revision": report.revision,
                },
            ),
            (_("Tanggal terbit"), issued),
            (_("Cakupan"), levels),
            (_("Frekuensi"), _("Bulanan: diperbarui setiap laporan bulanan diterbitkan")),
            (_("Satuan"), _("orang; persen untuk kolom *_persen")),
        ],
    )
    columns = [
        ("kode_wilayah", _("Kode wilayah Kemendagri, sebagai teks")),
        ("nama_wilayah", _("Nama wilayah")),
        ("tingkat_wilayah", _("kabupaten, kecamatan, desa atau kelurahan")),
        ("kode_wilayah_induk", _("Kode wilayah satu tingkat di atasnya")),
        ("tanggal_data", _("Tanggal data (YYYY-MM-DD): data lengkap sampai tanggal ini")),
        ("dasar_persentase", _("Kode dasar persentase (lihat Dasar persentase)")),
        ("jumlah_dasar", _("Jumlah orang yang menjadi dasar persentase")),
        ("sudah_aktivasi", _("Orang yang sudah mengaktifkan IKD sampai tanggal data")),
        ("capaian_persen", _("sudah_aktivasi ÷ jumlah_dasar × 100; dua desimal")),
        ("target_persen", _("Target yang berlaku pada tanggal data (baris kabupaten)")),
        ("target_orang", _("Orang yang harus sudah aktivasi agar target tercapai")),
        ("kekurangan_orang", _("target_orang dikurangi sudah_aktivasi, tidak kurang dari 0")),
    ]
    return (
        [list(pair) for pair in rows]
        + [["", ""], [_("Kolom"), _("Arti")]]
        + [list(pair) for pair in columns]
    )


def public_csv(rows: list[list]) -> bytes:
    """A CSV for programs: `,`, decimal point, ISO dates, UTF-8 (spreadsheets.csv_bytes)."""
    return csv_bytes(rows)
