"""What every downloaded workbook says about itself, on its Metadata sheet, as Satu Data
Indonesia asks of published data: the table, the region, the data date, what the percentages are
of, what the columns mean, the source and when the file was made (Asia/Jakarta).

One helper builds the common part so that the dashboard, institutions, outreach and the monthly
report describe their files alike; each caller adds what only it knows (`extra`)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Basis, Region
from .regions import region_root
from .vocabulary import denominator_title, denominator_word


def region_label(region: Region | None) -> str:
    """`Kabupaten Sukoharjo (33.11)`; the whole tree's top when no region was chosen."""
    region = region or region_root()
    return f"{region.display_name} ({region.code})" if region else ""


def percent_basis(denominator: str | None) -> str:
    """What a percentage is of, said once for a file: the basis of the target in force."""
    return _("%(title)s: capaian (%%) = sudah aktivasi ÷ %(word)s × 100") % {
        "title": denominator_title(denominator),
        "word": denominator_word(denominator),
    }


def export_metadata(
    *,
    title: str,
    region: str,
    as_of: dt.date | None,
    basis: str,
    header: list,
    extra: list[tuple[str, object]] = (),
) -> list[tuple[str, object]]:
    """The Metadata sheet's rows: label and value, then each known column and its meaning."""
    exported = timezone.localtime()
    rows = [
        (_("Keterangan"), _("Isi")),
        (_("Tabel"), title),
        (_("Wilayah"), region),
        (_("Data per tanggal"), as_of),
        (_("Dasar persentase"), basis),
        (_("Sumber"), _("%(office)s, dari data SIAK/IKD") % {"office": settings.OFFICE_NAME}),
        (_("Waktu ekspor"), f"{exported:%Y-%m-%d %H:%M} WIB ({settings.TIME_ZONE})"),
        *extra,
    ]
    known = column_definitions()
    columns = [(c, known[c]) for c in dict.fromkeys(map(str, header)) if c in known]
    if columns:
        rows += [("", ""), (_("Kolom"), _("Arti")), *columns]
    return rows


def column_definitions() -> dict[str, str]:
    """The columns the downloads share, by heading, in a few words each."""
    holders = _("Jumlah orang yang menjadi dasar persentase (lihat Dasar persentase)")
    return {
        _("Kode wilayah"): _("Kode wilayah Kemendagri, sebagai teks"),
        _("Kode segmen"): _("Kode segmen penduduk, sebagai teks"),
        **{denominator_title(code): holders for code in Basis.values},
        _("Sudah aktivasi"): _("Orang yang sudah mengaktifkan IKD sampai tanggal data"),
        _("Capaian (%)"): _("Sudah aktivasi dibagi dasar persentase, dikali 100; dua desimal"),
        _("Target (%)"): _("Target capaian yang berlaku pada tanggal data"),
        _("Target (orang)"): _("Orang yang harus sudah aktivasi agar target tercapai"),
        _("Kekurangan (orang)"): _("Target (orang) dikurangi yang sudah aktivasi"),
        _("Laju 30 hari (orang/hari)"): _("Rata-rata aktivasi baru per hari, 30 hari terakhir"),
        _("Laju 7 hari (orang/hari)"): _("Rata-rata aktivasi baru per hari, 7 hari terakhir"),
        _("Dibutuhkan (orang/hari)"): _("Aktivasi per hari yang dibutuhkan sampai tenggat"),
        _("Seharusnya sudah (orang)"): _(
            "Aktivasi yang seharusnya sudah ada pada tanggal data bila target dikejar merata"
        ),
        _("Proyeksi tercapai"): _("Tanggal target tercapai bila laju 30 hari bertahan"),
        _("Tenggat target"): _("Tanggal batas target"),
    }
