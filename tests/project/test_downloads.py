"""Every download as a user opens it: the XLSX offered first, as the button; a CSV that Excel set
to Indonesian reads right (`;`, decimal comma, dd/mm/yyyy, codes as text) with the XLSX's and the
API's figures; and every XLSX with its Metadata sheet (ikd_dashboard/spreadsheets.py,
kecamatan/exports.py)."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import time_machine
from openpyxl import load_workbook

from kecamatan.models import OfficialFigure
from kecamatan.progress.runs import progress_recompute
from tests.institutions.roster_data import WERU_NIK, institution_with_target

APRIL_10 = dt.date(2025, 4, 10)
EXPORTED_AT = dt.datetime(2025, 4, 11, 1, 30, tzinfo=dt.UTC)  # 08.30 in Jakarta
XLSX_DOWNLOADS = [
    "/wilayah/33.11/unduh/wilayah.xlsx",
    "/wilayah/33.11/unduh/segmen.xlsx",
    "/wilayah/33.11/unduh/bulanan.xlsx",
    "/wilayah/33.11/unduh/rekonsiliasi.xlsx",
    "/instansi/unduh.xlsx",
    "/jemput-bola/tujuan/unduh.xlsx",
    "/jemput-bola/rencana/unduh.xlsx",
    "/laporan/2025/4/unduh.xlsx",
]
PAGES = [
    "/",
    "/wilayah/33.11.01/",
    "/instansi/",
    "/jemput-bola/tujuan/",
    "/jemput-bola/rencana/",
    "/laporan/2025/4/",
]


@pytest.fixture
def recomputed(small_kabupaten):
    institution_with_target("DINDIK", "33.11.01", members=[WERU_NIK.format(n) for n in (1, 2)])
    progress_recompute(as_of=APRIL_10)
    return small_kabupaten


def _excel_id_rows(client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with its BOM
    assert response["Content-Disposition"].endswith('-excel-id.csv"')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _comma_number(text: str) -> Decimal:
    """What Excel in Indonesian reads from "4,94": no thousands mark, a decimal comma."""
    assert "." not in text
    return Decimal(text.replace(",", "."))


def test_the_indonesian_excel_csv_has_the_xlsxs_and_the_apis_figures(staf_client, recomputed):
    rows = _excel_id_rows(staf_client, "/wilayah/33.11/unduh/wilayah.csv-id")
    header, *children = rows
    book = load_workbook(io.BytesIO(staf_client.get("/wilayah/33.11/unduh/wilayah.xlsx").content))
    cells = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    api = staf_client.get("/api/v1/progress/", {"region": "33.11"}).json()["children"]
    assert header[:4] == ["Kode wilayah", "Wilayah", "Pemilik KTP-el", "Sudah aktivasi"]
    percent = header.index("Capaian (%)")
    assert len(children) == len(cells) == len(api) == 2
    for row, cell, child in zip(children, cells, api, strict=True):
        # The code stays text: Excel would read a bare 33.11.01 as a number or a time.
        assert row[0] == f'="{child["code"]}"' and cell[0] == child["code"]
        assert int(row[2]) == cell[2] == child["holders"]
        assert int(row[3]) == cell[3] == child["activated"]
        assert "," in row[percent]  # "12,39", never "12.39"
        assert _comma_number(row[percent]) == Decimal(str(cell[percent]))
        assert float(_comma_number(row[percent])) == child["percent"]


def test_the_indonesian_excel_csv_writes_dates_as_excel_reads_them(staf_client, recomputed):
    OfficialFigure.objects.create(region=recomputed, as_of=APRIL_10, activated=300, source="Prov")
    rows = _excel_id_rows(staf_client, "/wilayah/33.11/unduh/rekonsiliasi.csv-id")
    assert rows == [
        ["Per tanggal", "Sumber", "Resmi", "Kita", "Selisih"],
        ["10/04/2025", "Prov", "300", "285", "-15"],
    ]
    monthly = _excel_id_rows(staf_client, "/wilayah/33.11/unduh/bulanan.csv-id")
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", row[0]) for row in monthly[1:])


def test_the_program_csv_stays_comma_and_decimal_point(staf_client, recomputed):
    response = staf_client.get("/wilayah/33.11/unduh/wilayah.csv")
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert rows[0][0] == "33.11.01"
    assert re.fullmatch(r"\d+\.\d\d", rows[0][header.index("Capaian (%)")])


@pytest.mark.parametrize("path", XLSX_DOWNLOADS)
def test_every_xlsx_download_describes_itself_on_a_metadata_sheet(staf_client, recomputed, path):
    with time_machine.travel(EXPORTED_AT, tick=False):
        response = staf_client.get(path)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Metadata" and len(book.sheetnames) > 1
    metadata = {row[0]: row[1] for row in book["Metadata"].iter_rows(values_only=True)}
    assert "(33.11" in metadata["Wilayah"]
    assert isinstance(metadata["Data per tanggal"], dt.datetime)  # a date cell, not text
    assert "÷" in metadata["Dasar persentase"]
    assert "SIAK/IKD" in metadata["Sumber"]
    assert metadata["Waktu ekspor"] == "2025-04-11 08:30 WIB (Asia/Jakarta)"


def test_the_region_xlsx_says_what_its_percentages_are_of(staf_client, recomputed):
    book = load_workbook(io.BytesIO(staf_client.get("/wilayah/33.11/unduh/wilayah.xlsx").content))
    metadata = {row[0]: row[1] for row in book["Metadata"].iter_rows(values_only=True)}
    assert metadata["Wilayah"] == "Kabupaten Sukoharjo (33.11)"
    assert metadata["Data per tanggal"].date() == APRIL_10
    assert metadata["Dasar persentase"].startswith("Pemilik KTP-el: capaian (%)")
    assert metadata["Kode wilayah"] == "Kode wilayah Kemendagri, sebagai teks"
    assert "dibagi dasar persentase" in metadata["Capaian (%)"]


class _DownloadLinks(HTMLParser):
    """Each `<p class="downloads">`'s download links, in order: (href, class)."""

    def __init__(self):
        super().__init__()
        self.groups: list[list[tuple[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and "downloads" in (attrs.get("class") or "").split():
            self.groups.append([])
        elif tag == "a" and "download" in attrs and self.groups:
            self.groups[-1].append((attrs["href"], attrs.get("class") or ""))


@pytest.mark.parametrize("path", PAGES)
def test_the_xlsx_is_the_first_download_and_the_button(staf_client, recomputed, path):
    response = staf_client.get(path)
    assert response.status_code == 200
    parser = _DownloadLinks()
    parser.feed(response.content.decode())
    groups = [links for links in parser.groups if links]
    assert groups
    for links in groups:
        first_href, first_class = links[0]
        assert first_href.split("?")[0].endswith(".xlsx") and "primary" in first_class
        formats = [href.split("?")[0].rsplit(".", 1)[1] for href, _class in links]
        assert formats in (["xlsx", "csv-id", "csv"], ["xlsx", "pdf"])
