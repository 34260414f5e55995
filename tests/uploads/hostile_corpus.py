"""A corpus of hostile and careless upload files, made on the fly (nothing large is committed).

Each case is what an admin (careless) or an attacker might upload, with the outcome a person
would expect: imported with so many rows added, or refused with a message. Every NIK in the
corpus is listed in RAW_NIKS so a test can look for it everywhere afterwards.
"""

import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

from kecamatan.uploads.readers import XLSX_MAX_COLUMNS

NIK_A, NIK_B, NIK_C = "3311014101900101", "3311015202950202", "3311020303800303"
# Written into free text: after a dot, in dashed groups, after "No." (privacy, third round).
NIK_AFTER_DOT, NIK_IN_FILE_NAME = "3311012304655919", "3311010108823753"
NIK_DASHED, NIK_AFTER_NO = "3311-0116-1071-5304", "3311011806996220"
NIK_D = "3311021203880406"
RAW_NIKS = [
    NIK_A,
    NIK_B,
    NIK_C,
    "3311024404850404",
    "3311010505770505",
    NIK_AFTER_DOT,
    NIK_IN_FILE_NAME,
    NIK_DASHED,
    NIK_DASHED.replace("-", ""),
    NIK_AFTER_NO,
    NIK_D,
    NIK_DASHED.replace("-", "/"),
]
ROSTER_HEADER = "kode_instansi,nama_instansi,jenis,kode_wilayah,nik,nama,jabatan"
HEADER = "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi"


@dataclass
class Case:
    name: str
    kind: str
    data: bytes
    refused: bool  # else imported
    added: int = 0
    file_name: str = ""
    says: str = ""  # a part of the refusal message the admin reads

    @property
    def upload_name(self) -> str:
        return self.file_name or f"{self.name}.{'xlsx' if self.data[:2] == b'PK' else 'csv'}"


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows, *, dimension: str | None = None) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    if dimension:
        data = _rewrite_part(data, "xl/worksheets/sheet1.xml", _with_dimension(dimension))
    return data


def _with_dimension(ref: str):
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + f'<dimension ref="{ref}"/>'.encode() + xml[end:]

    return change


def _rewrite_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A valid workbook whose shared strings unpack to 256 MB (about 250 KB packed)."""
    good = _xlsx([["nik", "tanggal_aktivasi", "kode_wilayah"], [NIK_A, "2025-04-08", "33.11"]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
            for _ in range(256):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def _late_dtd() -> bytes:
    """The same bomb behind 1 MB of comment, past any look at the first bytes only."""
    return _rewrite_part(
        _billion_laughs(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"?>", b"?><!--" + b"x" * 1_048_570 + b"-->", 1),
    )


def _utf16_sheet() -> bytes:
    """A sheet part in UTF-16, where a byte search for a DTD finds nothing."""
    return _rewrite_part(
        _billion_laughs(),
        "xl/worksheets/sheet1.xml",
        lambda xml: (
            xml.decode()
            .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
            .encode("utf-16")
        ),
    )


def _billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _rewrite_part(_xlsx([["nik"]]), "xl/worksheets/sheet1.xml", lambda _xml: sheet)


def _shared_string_out_of_range() -> bytes:
    """A cell pointing at shared string 99999 of a workbook that has none."""

    def change(xml: bytes) -> bytes:
        cell = f'<c r="A2" t="inlineStr"><is><t>{NIK_A}</t></is></c>'.encode()
        assert cell in xml
        return xml.replace(cell, b'<c r="A2" t="s"><v>99999</v></c>')

    good = _xlsx(
        [["nik", "tanggal_aktivasi", "kode_wilayah"], [NIK_A, "2025-04-08", "33.11.01.2001"]]
    )
    return _rewrite_part(good, "xl/worksheets/sheet1.xml", change)


def hostile_corpus() -> list[Case]:
    """Thirty-odd files, each refused or imported as a person would expect."""
    good_rows = [
        ["nik", "tanggal_aktivasi", "kode_wilayah", "segmen", "lokasi"],
        [NIK_B, "2025-04-08", "33.11.01.2001", "umum", "desa"],
        [RAW_NIKS[4], "2025-04-08", "33.11.01.2002", "pelajar", "sekolah"],
    ]
    good_xlsx = _xlsx(good_rows)
    wide = [[f"k{i}" for i in range(XLSX_MAX_COLUMNS + 5)], [NIK_A] * (XLSX_MAX_COLUMNS + 5)]
    return [
        # --- NIKs where they do not belong -----------------------------------------------------
        Case(
            "headerless",
            "aktivasi",
            _csv(f"{NIK_A},2025-04-08,33.11.01.2001,umum,desa"),
            True,
            says="Kolom wajib tidak ada",
        ),
        Case(
            "headerless-xlsx",
            "aktivasi",
            _xlsx([[NIK_A, "2025-04-08", "33.11.01.2001"]]),
            True,
            says="Kolom wajib tidak ada",
        ),
        Case(
            "shuffled-with-header",
            "aktivasi",
            _csv(
                "kode_wilayah,segmen,nik,tanggal_aktivasi",
                f"33.11.01.2001,umum,{NIK_A},2025-04-08",
                f"33.11.02.2001,asn,{NIK_C},2025-04-07",
            ),
            False,
            added=2,
        ),
        Case(
            "columns-in-wrong-order",
            "aktivasi",
            _csv(HEADER, f"2025-04-08,{NIK_A},33.11.01.2001,umum,desa"),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "nik-in-region-column",
            "aktivasi",
            _csv(HEADER, f"{NIK_B},2025-04-08,{NIK_A},umum,desa"),
            True,
            says="tidak dikenal",
        ),
        Case(
            "nik-in-date-column",
            "aktivasi",
            _csv(HEADER, f"{NIK_B},{NIK_A},33.11.01.2001,umum,desa"),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "nik-with-spaces",
            "aktivasi",
            _csv(HEADER, "3311 0244 0485 0404,2025-04-08,33.11.02,umum,desa"),
            False,  # typed in groups by hand: read as the NIK it is, hashed, never kept
            added=1,
        ),
        Case(
            "nik-as-excel-number",
            "aktivasi",
            _xlsx(
                [
                    ["nik", "tanggal_aktivasi", "kode_wilayah"],
                    [int(NIK_A), "2025-04-08", "33.11.01.2001"],
                ]
            ),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "nik-in-scientific-notation",
            "aktivasi",
            _csv(HEADER, "3.31101410190010E+15,2025-04-08,33.11.01.2001,umum,desa"),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "nik-in-count-column",
            "rekap",
            _csv("tanggal,kode_wilayah,segmen,jumlah", f"2025-04-08,33.11.01,umum,{NIK_A}"),
            True,
            says="terlalu besar",
        ),
        Case(
            "nik-in-segment-column",
            "pemilik_ktp",
            _csv("kode_wilayah,segmen,jumlah,per_tanggal", f"33.11.01.2001,{NIK_A},10,2025-01-01"),
            True,
            says="Segmen tidak dikenal",
        ),
        Case(
            "nik-in-header",
            "rekap",
            _csv(f"tanggal,{NIK_A},segmen,jumlah", "2025-04-08,33.11.01,umum,5"),
            True,
            says="Kolom wajib",
        ),
        Case(
            "nik-as-file-name",
            "aktivasi",
            _csv(HEADER, "x,2025-04-08,33.11.01.2001,umum,"),
            True,
            file_name=f"{NIK_C}.csv",
            says="Berkas ditolak",
        ),
        Case(
            "nik-after-a-dot-in-a-cell",
            "aktivasi",
            _csv(HEADER, f"{NIK_B},2025-04-08,33.11.01.2001,umum,NIK.{NIK_AFTER_DOT}"),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "nik-after-a-dot-in-the-file-name",
            "aktivasi",
            _csv(HEADER, f"{NIK_D},2025-04-08,33.11.02.2001,umum,desa"),
            False,
            added=1,
            file_name=f"daftar.{NIK_IN_FILE_NAME}.csv",
        ),
        Case(
            "nik-dashed-in-an-institution-name",
            "roster",
            _csv(
                ROSTER_HEADER,
                f"SMAN1,Sekolah {NIK_DASHED},sekolah,33.11.01,{NIK_B},Ayu,Siswa",
            ),
            True,
            says="tanpa NIK",
        ),
        Case(
            "nik-with-slashes-in-an-institution-name",
            "roster",
            _csv(
                ROSTER_HEADER,
                f"SMAN1,Sekolah {NIK_DASHED.replace('-', '/')},sekolah,33.11.01,{NIK_B},Ayu,Siswa",
            ),
            True,
            says="tanpa NIK",
        ),
        Case(
            "nik-after-no-in-an-institution-name",
            "roster",
            _csv(
                ROSTER_HEADER,
                f"SMAN1,Sekolah No.{NIK_AFTER_NO},sekolah,33.11.01,{NIK_B},Ayu,Siswa",
            ),
            True,
            says="tanpa NIK",
        ),
        Case(
            "nik-rekap-wrong-kind",
            "rekap",
            _csv(HEADER, f"{NIK_A},2025-04-08,33.11.01,umum,"),
            True,
            says="bukan rekap",
        ),
        # --- counts and dates at the limits -----------------------------------------------------
        Case(
            "count-overflow",
            "rekap",
            _csv(
                "tanggal,kode_wilayah,segmen,jumlah",
                "2025-04-08,33.11.01,umum,99999999999999999999999",
            ),
            True,
            says="terlalu besar",
        ),
        Case(
            "count-beyond-integer",
            "pemilik_ktp",
            _csv(
                "kode_wilayah,segmen,jumlah,per_tanggal",
                "33.11.01.2001,umum,3.000.000.000,2025-01-01",
            ),
            True,
            says="terlalu besar",
        ),
        Case(
            "count-negative",
            "rekap",
            _csv("tanggal,kode_wilayah,segmen,jumlah", "2025-04-08,33.11.01,umum,-5"),
            True,
            says="tidak negatif",
        ),
        Case(
            "dates-at-calendar-limits",
            "aktivasi",
            _csv(
                HEADER,
                f"{NIK_A},0001-01-01,33.11.01.2001,umum,",
                f"{NIK_B},9999-12-31,33.11.01.2001,umum,",
                f"{NIK_C},31/02/2025,33.11.01.2001,,",
            ),
            True,
            says="Berkas ditolak",
        ),
        Case(
            "formula-injection",
            "aktivasi",
            _csv(HEADER, f"{NIK_A},2025-04-08,=cmd|' /C calc'!A0,umum,"),
            True,
            says="Berkas ditolak",
        ),
        # --- files that are not what they claim -------------------------------------------------
        Case("empty", "aktivasi", b"", True, says="kosong"),
        Case("header-only", "aktivasi", _csv(HEADER), True, says="tanpa baris data"),
        Case("binary-garbage", "aktivasi", bytes(range(256)) * 40, True, says="biner"),
        Case("utf16", "aktivasi", (HEADER + "\n").encode("utf-16"), True, says="biner"),
        Case("old-xls", "aktivasi", b"\xd0\xcf\x11\xe0" + b"\0" * 600, True, says=".xls"),
        Case(
            "unbalanced-quote",
            "aktivasi",
            _csv(HEADER, f'"{NIK_A},2025-04-08,33.11.01.2001,umum,desa', 'x"y,z'),
            True,
            says="tanda kutip",
        ),
        Case(
            "huge-field",
            "aktivasi",
            _csv(HEADER, NIK_A + "9" * 200_000 + ",2025-04-08,x,,"),
            True,
            says="CSV",
        ),
        Case(
            "ten-thousand-columns",
            "aktivasi",
            _csv(HEADER, ",".join([NIK_A] * 10_000)),
            True,
            says="lebih dari 4.096 kolom",
        ),
        Case(
            "error-flood",
            "aktivasi",
            _csv(HEADER, *[f"{NIK_A[:12]}x,2025-13-45,99.99,nope,zzz"] * 50_000),
            True,
            says="pemeriksaan dihentikan",
        ),
        # --- hostile spreadsheets ---------------------------------------------------------------
        Case("xlsx-truncated", "aktivasi", good_xlsx[: len(good_xlsx) // 2], True, says="XLSX"),
        Case(
            "xlsx-not-a-workbook",
            "aktivasi",
            _zip_of({"hello.txt": NIK_A.encode()}),
            True,
            says="XLSX",
        ),
        Case("xlsx-zip-bomb", "aktivasi", _zip_bomb(), True, says="batas"),
        Case(
            "xlsx-huge-dimension",
            "aktivasi",
            _xlsx(good_rows, dimension="A1:XFD1048576"),
            True,
            says="batas",
        ),
        Case("xlsx-too-many-columns", "aktivasi", _xlsx(wide), True, says="kolom"),
        Case("xlsx-billion-laughs", "aktivasi", _billion_laughs(), True, says="XLSX"),
        Case("xlsx-dtd-after-1mb", "aktivasi", _late_dtd(), True, says="DTD"),
        Case("xlsx-utf16-part", "aktivasi", _utf16_sheet(), True, says="UTF-8"),
        Case(
            "xlsx-malformed-sheet",
            "aktivasi",
            _rewrite_part(good_xlsx, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2]),
            True,
            says="XLSX",
        ),
        Case(
            "xlsx-shared-string-out-of-range",
            "aktivasi",
            _shared_string_out_of_range(),
            True,
            says="XLSX",
        ),
        Case(
            "xlsx-no-sheet-data",
            "aktivasi",
            _rewrite_part(good_xlsx, "xl/worksheets/sheet1.xml", lambda x: b"not xml"),
            True,
            says="XLSX",
        ),
        # --- and good files, which must still go in ----------------------------------------------
        Case("good-xlsx", "aktivasi", good_xlsx, False, added=2),
        Case(
            "good-rekap",
            "rekap",
            _csv("tanggal,kode_wilayah,segmen,jumlah", "2025-04-08,33.11.01,umum,1.234"),
            False,
            added=1,
        ),
    ]


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
