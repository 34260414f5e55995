"""The open page (/publik/): off unless PUBLIC_PAGE is on; on, the published report's figures
without sign-in — never a draft's, never a small count, nothing below kecamatan unless
PUBLIC_PAGE_DESA — and the same as Satu Data files, in a constant number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kecamatan.progress.runs import progress_recompute
from reports.issue import report_issue
from reports.public import DATA_COLUMNS
from tests.outreach.outreach_data import visit
from tests.public.public_data import (
    APRIL,
    DATA_DATE,
    MONDAY,
    activations_add,
    april_issued,
    on_day,
    request_form,
    tiny_tni_segment,
)

PUBLIC_PATHS = (
    "/publik/",
    "/publik/data.csv",
    "/publik/metadata.csv",
    "/publik/minta-kunjungan/",
)


@pytest.fixture
def public(settings):
    settings.PUBLIC_PAGE = True
    return settings


def _rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _table(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)]


def test_the_open_page_is_off_by_default_every_public_url_is_404(client, small_kabupaten):
    from kecamatan.models import VisitRequest

    assert django_settings.PUBLIC_PAGE is False and django_settings.PUBLIC_PAGE_DESA is False
    april_issued()
    request = VisitRequest.objects.create(
        **{
            k: v
            for k, v in request_form().items()
            if k not in ("region", "preferred_from", "preferred_to", "situs")
        },
        region_id="33.11.01.2001",
        preferred_from=APRIL,
        preferred_to=APRIL,
    )
    for path in (*PUBLIC_PATHS, f"/publik/permintaan/{request.token}/"):
        assert client.get(path).status_code == 404, path
    assert client.post("/publik/minta-kunjungan/", request_form()).status_code == 404
    assert VisitRequest.objects.count() == 1
    # Nobody is pointed at it either: no link in the top bar.
    assert "/publik/" not in client.get("/masuk/").content.decode()


def test_on_anyone_reads_the_issued_reports_figures_without_signing_in(
    client, public, small_kabupaten
):
    april_issued()
    response = client.get("/publik/")
    assert response.status_code == 200
    html = response.content.decode()
    headline = html[html.index('data-testid="public-headline"') :]
    assert ">12,4%<" in headline  # 285 / 2.300
    assert ">285<" in headline and "2.300" in headline and "690" in headline and ">405<" in headline
    assert "target <strong>30%</strong> s.d. 31 Desember 2025" in headline
    assert "Laporan bulanan April 2025" in html and "data lengkap s.d. 10 April 2025" in html
    kecamatan = _table(html, "public-kecamatan")
    assert (
        "Weru" in kecamatan
        and "10,0%" in kecamatan
        and "Bulu" in kecamatan
        and "21,0%" in kecamatan
    )
    assert 'data-chart="public-trend-data"' in html and 'data-testid="public-trend-table"' in html
    # A visitor gets no office menu: only the open page, the request form and the sign-in.
    topbar = html[html.index('id="topnav"') : html.index("</nav>")]
    assert "/laporan/" not in topbar and "/jemput-bola/" not in topbar and "/masuk/" in topbar
    assert 'href="/publik/minta-kunjungan/"' in topbar
    # No inline script: the chart data travels as JSON (the Content-Security-Policy holds).
    assert "<script>" not in html


def test_a_draft_is_never_shown_only_what_was_issued(client, public, small_kabupaten):
    april_issued()
    activations_add("33.11.01.2002", DATA_DATE, 23)  # a late upload: 308 activated now
    progress_recompute(as_of=DATA_DATE)  # the live figures (a draft's) move; the issued stay
    html = client.get("/publik/").content.decode()
    assert ">285<" in html and ">12,4%<" in html
    assert "308" not in html and "13,4%" not in html
    kabupaten = _rows(client.get("/publik/data.csv"))[1]
    assert kabupaten[:2] == ["33.11", "Kabupaten Sukoharjo"] and kabupaten[7] == "285"
    # A revision issued by an Admin is what the page shows from then on.
    report_issue(month=APRIL, reason="susulan Tegalsari", revision=True, deliver=False)
    html = client.get("/publik/").content.decode()
    assert ">308<" in html and ">13,4%<" in html and "revisi 2" in html


def test_with_no_report_issued_the_page_shows_no_figures_at_all(client, public, small_kabupaten):
    progress_recompute(as_of=DATA_DATE)  # live figures exist: a draft could be computed
    html = client.get("/publik/").content.decode()
    assert 'data-testid="public-no-report"' in html
    assert "285" not in html and "12,4%" not in html and "Weru" not in html
    assert client.get("/publik/data.csv").status_code == 404
    assert client.get("/publik/metadata.csv").status_code == 404


def test_a_small_segment_count_never_appears(client, public, small_kabupaten):
    tiny_tni_segment()
    april_issued()
    html = client.get("/publik/").content.decode()
    segments = _table(html, "public-segments")
    tni = segments[segments.index(">TNI<") :].split("</tr>")[0]
    assert tni.count(">•<") == 2 and "66,7%" not in tni  # 2 of 3, never shown
    # It is shown only together with ASN, the next smallest: 203 holders, 172 activated.
    combined = html[html.index('data-testid="combined-segments"') :].split("</tr>")[0]
    assert "ASN, TNI" in combined and ">203<" in combined and ">172<" in combined
    asn = segments[segments.index(">ASN<") :].split("</tr>")[0]
    assert asn.count(">•<") == 2  # else ASN's own figures would give TNI's back
    # The files carry regions only, no segment.
    assert "tni" not in client.get("/publik/data.csv").content.decode().lower()


def test_nothing_below_kecamatan_unless_the_setting_asks_for_desa(client, public, small_kabupaten):
    april_issued()
    html = client.get("/publik/").content.decode()
    assert "Alasombo" not in html and "Tegalsari" not in html and "Puron" not in html
    codes = [row[0] for row in _rows(client.get("/publik/data.csv"))[1:]]
    assert codes == ["33.11", "33.11.01", "33.11.02"]

    public.PUBLIC_PAGE_DESA = True
    html = client.get("/publik/").content.decode()
    desa = _table(html, "public-desa")
    assert "Alasombo" in desa and "Tegalsari" in desa and "Puron" in desa
    rows = _rows(client.get("/publik/data.csv"))[1:]
    alasombo = next(r for r in rows if r[0] == "33.11.01.2001")
    assert alasombo[1:4] == ["Alasombo", "desa", "33.11.01"] and alasombo[-1] == "230"
    metadata = dict(tuple(r[:2]) for r in _rows(client.get("/publik/metadata.csv")) if r)
    assert "3 desa/kelurahan dengan kekurangan terbesar" in metadata["Cakupan"]


def test_the_data_file_and_its_metadata_in_the_satu_data_form(client, public, small_kabupaten):
    report = april_issued()
    response = client.get("/publik/data.csv")
    assert response["Content-Disposition"] == 'attachment; filename="ikd-capaian-2025-04.csv"'
    rows = _rows(response)
    assert rows[0] == DATA_COLUMNS
    assert rows[1] == [
        "33.11",
        "Kabupaten Sukoharjo",
        "kabupaten",
        "",
        "2025-04-10",
        "perekaman",
        "2300",
        "285",
        "12.39",
        "30.00",
        "690",
        "405",
    ]
    assert rows[2][:3] == ["33.11.01", "Weru", "kecamatan"] and rows[2][8] == "10.00"
    metadata = _rows(client.get("/publik/metadata.csv"))
    facts = dict(tuple(r[:2]) for r in metadata if r)
    assert facts["Wilayah"] == "Kabupaten Sukoharjo (33.11)"
    assert facts["Data per tanggal"] == "2025-04-10"
    assert facts["Dasar persentase"].startswith("Pemilik KTP-el")
    assert report.number in facts["Laporan"] and "revisi 1" in facts["Laporan"]
    assert facts["Waktu ekspor"].endswith("WIB (Asia/Jakarta)")
    assert {"Sumber", "Frekuensi"} <= set(facts)
    # Every column of the data file is explained.
    assert set(DATA_COLUMNS) <= set(facts)


def test_the_page_runs_a_fixed_number_of_queries_however_many_visits(
    client, public, small_kabupaten, petugas
):
    april_issued()

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/publik/").status_code == 200
        return len(queries)

    with on_day(MONDAY):
        visit("33.11.01.2001", "desa", "Balai Desa Alasombo", "planned", MONDAY, [petugas])
        cold = page_queries()  # the figures built (and the small-segment groups worked out)
        one = page_queries()  # the figures from the cache
        for i in range(11):
            day = MONDAY + dt.timedelta(days=i)
            visit("33.11.02.2001", "pasar", f"Pasar {i}", "planned", day, [petugas])
        twelve = page_queries()
    assert one == twelve <= 2 and cold <= 12, (cold, one, twelve)
