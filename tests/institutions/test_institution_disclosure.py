"""Institutions of fewer than five people, as a Staf member would try to count them on the demo:
every listing Staf can read or download — the ranking page and its per-kind table, the CSV and
XLSX for every kind × region, the API for every region on two dates, each institution's page,
the monthly report — is searched for a number about a small institution, and every total is
subtracted from by the rows shown beside it: what is left must be nothing (docs/privacy.md).

The demo's rosters are also checked here: drawn from the demo's own people, so they match.
"""

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from kecamatan.demo import demo_load
from kecamatan.institutions.selectors import institution_figures
from kecamatan.models import Institution, Region, RosterMember
from kecamatan.nik import nik_hash
from kecamatan.progress.runs import progress_recompute
from tests.conftest import reference_data_seed

AS_OF = dt.date(2025, 4, 9)
DATES = ("2025-04-09", "2024-12-31")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_seed()
        demo_load()
        # A second small institution, of a kind and kecamatan with a large one beside it.
        koramil = Institution.objects.create(
            code="KORAMIL-BULU",
            name="Koramil Bulu",
            kind="tni",
            region_id="33.11.02",
            segment_id="tni",
        )
        RosterMember.objects.bulk_create(
            RosterMember(institution=koramil, nik_hash=nik_hash(f"331102010190{n:04d}"))
            for n in range(1, 5)
        )
        progress_recompute(as_of=AS_OF)
        yield
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


def _number(value):
    if value in (None, "", "<5", "–"):
        return None
    return float(str(value).replace(".", "").replace(",", ".")) if isinstance(value, str) else value


@pytest.mark.django_db
def test_the_demo_rosters_match_the_demos_activations(demo):
    figures = {r["code"]: r for r in institution_figures(as_of=AS_OF)}
    assert len(figures) == 44  # 43 in the demo, and the test's Koramil
    # The shares the demo gives each one (docs/domain: the Dinas Kesehatan ahead, the
    # Dinas Pendidikan behind), reached through the activation store by hash.
    assert (figures["DINKES"]["members"], figures["DINKES"]["activated"]) == (380, 361)
    assert (figures["DINDIKBUD"]["members"], figures["DINDIKBUD"]["activated"]) == (640, 256)
    assert figures["DPRD-SKH"]["activated"] == 41
    assert figures["DINDIKBUD"]["target_percent"] == 100  # the regent's circular
    assert sum(f["outside"] for f in figures.values()) > 0
    assert figures["DEWAS-PDAM"]["members"] == 3
    # Schools draw their pupils from their own kecamatan's activations first.
    assert figures["20310205"]["activated"] == 25


@pytest.mark.django_db
def test_no_count_of_a_small_institution_can_be_read_or_subtracted_out(demo, staf_client):
    small = {c for c, n in _true_members().items() if 0 < n < 5}
    assert small == {"DEWAS-PDAM", "KORAMIL-BULU"}
    kinds = [None, *Institution.Kind.values]
    regions = [
        None,
        "33.11",
        *Region.objects.filter(level="kecamatan").values_list("code", flat=True),
    ]
    listings = 0
    for kind in kinds:
        for region in regions:
            query = "&".join(f"{k}={v}" for k, v in (("jenis", kind), ("wilayah", region)) if v)
            # The download: rows and the totals row.
            body = staf_client.get(f"/instansi/unduh.csv?{query}").content.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(body)))[1:]
            totals = next(r for r in rows if r[0].startswith("Jumlah"))
            listed = [r for r in rows if r[0] in _true_members()]
            listings += 1
            for row in listed:
                if row[0] in small:
                    assert row[5] == "<5" and all(v == "" for v in row[6:10] + row[13:15]), row
            # members, outside, counted, activated, target, gap
            for column in (5, 6, 7, 8, 13, 14):
                shown = sum(_number(r[column]) or 0 for r in listed if r[0] not in small)
                # Total minus the rows shown beside it: nothing is left over.
                assert (_number(totals[column]) or 0) == shown, (query, column)
            # The page: its headline and per-kind table, the same sums.
            page = staf_client.get(f"/instansi/?{query}").content.decode()
            for label, members in _kind_table(page):
                expected = sum(
                    _number(r[7]) or 0 for r in listed if r[2] == label and r[0] not in small
                )
                assert members == expected, (query, label)
    assert listings == len(kinds) * len(regions)
    # The API, for every region and two dates: a small institution has no number at all.
    for region in regions[1:]:
        for as_of in DATES:
            body = staf_client.get(f"/api/v1/institutions/?region={region}&as_of={as_of}").json()
            for row in body["institutions"]:
                if row["code"] in small:
                    assert row["small"] is True
                    figures = ("members", "activated", "percent", "gap_people", "outside_kabupaten")
                    assert all(row[f] is None for f in figures), row
                else:
                    assert row["members"] == _true_members()[row["code"]]
    # Each small institution's own page: "<5", no trend.
    for code in small:
        page = staf_client.get(f"/instansi/{code}/").content.decode()
        assert "&lt;5" in page and "trend-chart-data" not in page
    # The XLSX of the whole list says the same as the CSV.
    book = load_workbook(io.BytesIO(staf_client.get("/instansi/unduh.xlsx").content))
    sheet = {row[0]: row for row in book.worksheets[0].iter_rows(values_only=True)}
    assert sheet["DEWAS-PDAM"][5] == "<5" and sheet["DEWAS-PDAM"][6] is None
    # And what a naive subtraction would give is not the count: the totals leave them out.
    whole = list(
        csv.reader(
            io.StringIO(
                staf_client.get("/instansi/unduh.csv?jenis=bumd").content.decode("utf-8-sig")
            )
        )
    )
    total = next(r for r in whole if r[0].startswith("Jumlah"))
    pdam = next(r for r in whole if r[0] == "PDAM-TM")
    assert _number(total[5]) - _number(pdam[5]) == 0 != _true_members()["DEWAS-PDAM"]


@pytest.mark.django_db
def test_pimpinan_sees_every_count_and_totals_that_include_them(demo, pimpinan, client):
    client.force_login(pimpinan)
    body = client.get("/api/v1/institutions/?kind=bumd").json()
    assert {r["code"]: r["members"] for r in body["institutions"]} == {
        "PDAM-TM": 130,
        "DEWAS-PDAM": 3,
    }
    rows = list(
        csv.reader(
            io.StringIO(client.get("/instansi/unduh.csv?jenis=bumd").content.decode("utf-8-sig"))
        )
    )
    assert next(r for r in rows if r[0].startswith("Jumlah"))[5] == "133"


@pytest.mark.django_db
def test_the_monthly_report_names_the_ten_furthest_behind(demo, staf_client):
    page = staf_client.get("/laporan/2025/4/").content.decode()
    section = page[page.index('data-testid="report-institutions"') :]
    assert "10 instansi paling tertinggal" in section
    assert section.index("Dinas Pendidikan dan Kebudayaan") < section.index("RSUD Ir. Soekarno")
    # 640 on the roster, 20 with a NIK from outside: 256 of the 620 counted, 364 still needed.
    assert "256 / 620" in section and "364" in section
    book = load_workbook(io.BytesIO(staf_client.get("/laporan/2025/4/unduh.xlsx").content))
    rows = list(book["Instansi"].iter_rows(values_only=True))
    assert rows[1][:2] == ("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan") and rows[1][-1] == 364
    assert len(rows) == 11


def _true_members() -> dict[str, int]:
    return {r["code"]: r["members"] for r in institution_figures(as_of=AS_OF)}


def _kind_table(page: str) -> list[tuple[str, float]]:
    """(kind label, counted members) from the page's per-kind table."""
    table = page[page.index('data-testid="institution-kinds"') :]
    table = table[: table.index("</table>")]
    found = []
    for label, cells in re.findall(r'<a href="[^"]*">([^<]+)</a></th>(.*?)</tr>', table, re.S):
        numbers = re.findall(r'<td class="num[^"]*">([^<]*)</td>', cells)
        found.append((label, _number(numbers[1])))
    return found
