"""Which column is which: the header names real exports use for each field, the columns each
upload kind needs, and finding them in a header row. readers.table_open asks
`header_names_columns` of each of a file's first rows, to find the header under a title block."""

import re

from django.utils.translation import gettext as _

from .readers import FileFormatError

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
    "kode_instansi": (
        "kode_instansi",
        "kode_unit",
        "kode_unit_kerja",
        "kode_satker",
        "kode_opd",
        "npsn",
    ),
    "nama_instansi": (
        "nama_instansi",
        "instansi",
        "nama_unit_kerja",
        "unit_kerja",
        "nama_satker",
        "satker",
        "nama_opd",
        "nama_sekolah",
    ),
    "jenis": ("jenis", "jenis_instansi"),
    "dasar": ("dasar", "basis", "penyebut", "dasar_penyebut"),
}
# A peers' table (kind peringkat) names kabupaten/kota, and its "penyebut" is a count, not the
# basis as in pemilik_ktp files: its own names, read before the shared ones.
KIND_ALIASES = {
    "peringkat": {
        "nama_wilayah": (
            "nama_wilayah",
            "kabupaten_kota",
            "kab_kota",
            "nama_kabupaten_kota",
            "nama_kab_kota",
            "kabupaten",
            "wilayah",
            "nama",
        ),
        "aktivasi": ("aktivasi", "jumlah_aktivasi", "aktivasi_ikd", "sudah_aktivasi", "jumlah_ikd"),
        "penyebut": (
            "penyebut",
            "jumlah_penyebut",
            "wajib_ktp",
            "jumlah_wajib_ktp",
            "perekaman",
            "jumlah_perekaman",
            "penduduk",
            "jumlah_penduduk",
        ),
        "dasar": ("dasar", "basis", "dasar_penyebut"),
        "persen": ("persen", "persentase", "capaian", "capaian_persen", "pct"),
    }
}
# Per kind: the columns it needs (a region by code or by name counts as one) and may have.
REQUIRED = {
    "aktivasi": ("nik", "tanggal", "wilayah"),
    "rekap": ("tanggal", "wilayah", "segmen", "jumlah"),
    "pemilik_ktp": ("wilayah", "segmen", "jumlah", "tanggal"),
    "roster": ("kode_instansi", "nama_instansi", "jenis", "nik"),
    "peringkat": ("wilayah", "tanggal", "aktivasi", "penyebut"),
}
COLUMN_LABELS = {
    "nik": "NIK",
    "tanggal": "tanggal",
    "wilayah": "kode_wilayah",
    "segmen": "segmen",
    "lokasi": "lokasi",
    "jumlah": "jumlah",
    "kode_instansi": "kode_instansi",
    "nama_instansi": "nama_instansi",
    "jenis": "jenis",
    "aktivasi": "aktivasi",
    "penyebut": "penyebut",
}


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _positions(normalised: list[str], kind: str = "") -> dict[str, int]:
    positions = {}
    for name, aliases in {**ALIASES, **KIND_ALIASES.get(kind, {})}.items():
        for alias in aliases:
            if alias in normalised:
                positions[name] = normalised.index(alias)
                break
    return positions


def _missing(kind: str, positions: dict[str, int]) -> list[str]:
    """The labels of the columns `kind` needs that are not there (a region by code or name)."""
    by_region = {"kode_wilayah", "kecamatan", "desa", "nama_wilayah"} & positions.keys()
    return [
        COLUMN_LABELS[name]
        for name in REQUIRED[kind]
        if name not in positions and not (name == "wilayah" and by_region)
    ]


def header_names_columns(kind: str, cells: list[str]) -> bool:
    """Whether a row names every column `kind` needs: its header (under a title block, maybe)."""
    return not _missing(kind, _positions([normalise_header(c) for c in cells], kind))


def column_positions(kind: str, header: list[str]) -> dict[str, int]:
    """Map our field names to column positions; FileFormatError when a needed one is missing."""
    normalised = [normalise_header(h) for h in header]
    positions = _positions(normalised, kind)
    if kind == "aktivasi" and "jumlah" in positions and "nik" not in positions:
        raise FileFormatError(_wrong_kind(kind, "rekap"))
    if kind == "aktivasi" and "kode_instansi" in positions and "tanggal" not in positions:
        raise FileFormatError(_wrong_kind(kind, "roster"))
    if kind == "roster" and "tanggal" in positions and "kode_instansi" not in positions:
        raise FileFormatError(_wrong_kind(kind, "aktivasi"))
    if kind not in ("aktivasi", "roster") and "nik" in positions:
        raise FileFormatError(_wrong_kind(kind, "aktivasi"))
    if kind == "rekap" and "per_tanggal" in normalised:
        raise FileFormatError(_wrong_kind(kind, "pemilik_ktp"))
    if missing := _missing(kind, positions):
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
