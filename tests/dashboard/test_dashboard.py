"""The staff dashboard's filters, orderings, downloads, map and query budget (HTML, no browser).

Figures are worked out by hand from the small kabupaten in conftest.py.
"""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kecamatan.boundaries import kemendagri_code
from kecamatan.models import KtpHolderCount, Region, RegionBoundary
from kecamatan.progress.runs import progress_recompute
from kecamatan.regions import region_closure_rebuild

APRIL_9 = dt.date(2025, 4, 9)


@pytest.fixture
def recomputed(small_kabupaten):
    progress_recompute(as_of=APRIL_9)
    return small_kabupaten


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- filters in the URL ---------------------------------------------------------------------


def test_the_segment_filter_shows_that_segments_figures(staf_client, recomputed):
    html = _html(staf_client, "/?segmen=asn")
    # ASN: 100 + 100 holders, 80 + 90 activated by 9 April 2025.
    assert 'data-testid="segment-note"' in html and "ASN" in html
    assert "85,0%" in html
    assert '<option value="asn" selected>' in html
    all_segments = _html(staf_client, "/")
    assert "12,2%" in all_segments and "segment-note" not in all_segments


def test_the_segment_filter_applies_to_the_children_too(staf_client, recomputed):
    html = _html(staf_client, "/?segmen=asn&urut=persen")
    ranking = html[html.index('data-testid="children"') :]
    # Weru ASN 80/100 = 80,0%, Bulu ASN 90/100 = 90,0%; lowest first when sorted by %.
    assert ranking.index("80,0%") < ranking.index("90,0%")
    assert ranking.index("Weru") < ranking.index("Bulu")


def test_a_past_date_shows_the_figures_of_that_date(staf_client, recomputed):
    # 31 Dec 2024: 2.100 holders then (the 2025 semester not yet in), 230 activated, target 25%.
    html = _html(staf_client, "/?tanggal=2024-12-31")
    assert "Data per 31 Desember 2024" in html
    assert "2.100" in html and "230" in html and "11,0%" in html
    assert "25%" in html
    assert 'value="31/12/2024"' in html  # dd/mm/yyyy whatever the browser's language


def test_a_date_after_the_data_is_refused_with_a_clear_message(staf_client, recomputed):
    html = _html(staf_client, "/?tanggal=2030-01-01")
    assert "Data baru tersedia sampai 9 April 2025" in html
    assert "Data lengkap s.d. 9 April 2025" in html  # and the page falls back to the latest figures


def test_an_unknown_segment_falls_back_to_all_segments(staf_client, recomputed):
    html = _html(staf_client, "/?segmen=bukan-segmen")
    assert "12,2%" in html
    assert 'role="alert"' in html


def test_the_children_can_be_ordered_by_percent_or_by_gap(staf_client, recomputed):
    # Weru: 180 of 1.800 holders (10,0%), gap 360; Bulu: 100 of 500 (20,0%), gap 50.
    by_gap = _html(staf_client, "/")
    ranking = by_gap[by_gap.index('data-testid="children"') :]
    assert ranking.index("Weru") < ranking.index("Bulu")
    by_percent = _html(staf_client, "/?urut=persen")
    ranking = by_percent[by_percent.index('data-testid="children"') :]
    assert ranking.index("Weru") < ranking.index("Bulu")  # lowest attainment first
    gap_chart = json.loads(
        by_percent.split('id="gap-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    # Plotly draws the first bar at the bottom: the one to read first is last.
    assert gap_chart["data"][0]["y"] == ["Bulu", "Weru"]


def test_links_to_children_keep_the_filters(staf_client, recomputed):
    html = _html(staf_client, "/?segmen=asn&tanggal=2025-03-31")
    assert 'href="/wilayah/33.11.01/?segmen=asn&amp;tanggal=2025-03-31"' in html


# --- every chart has its data as a table ---------------------------------------------------


def test_every_chart_is_on_the_page_with_a_table_of_the_same_data(staf_client, recomputed):
    html = _html(staf_client, "/")
    for chart in ("gap-chart", "trend-chart", "monthly-chart", "segment-chart"):
        assert f'id="{chart}-data"' in html
    for table in ('data-testid="children"', 'data-testid="monthly"', 'data-testid="segments"'):
        assert table in html
    monthly = json.loads(
        html.split('id="monthly-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    bars = dict(zip(monthly["data"][0]["x"], monthly["data"][0]["y"], strict=True))
    assert bars["2023-02-28"] == 80 and bars["2023-03-31"] == 90 and bars["2025-04-09"] == 20
    assert sum(bars.values()) == 280
    assert monthly["layout"]["separators"] == ",."


# --- downloads ------------------------------------------------------------------------------


def test_the_ranking_downloads_as_csv_with_the_api_numbers(staf_client, recomputed):
    response = staf_client.get("/wilayah/33.11/unduh/wilayah.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="capaian-33.11-wilayah-2025-04-09.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    api = staf_client.get("/api/v1/progress/", {"region": "33.11"}).json()["children"]
    assert [r["Kode wilayah"] for r in rows] == [c["code"] for c in api]
    for row, child in zip(rows, api, strict=True):
        assert int(row["Pemilik KTP-el"]) == child["holders"]
        assert int(row["Sudah aktivasi"]) == child["activated"]
        assert float(row["Capaian (%)"]) == child["percent"]  # "10.00", not "10,0%"
        assert int(row["Kekurangan (orang)"]) == child["gap_people"]


def test_downloads_follow_the_segment_and_date(staf_client, recomputed):
    response = staf_client.get("/wilayah/33.11/unduh/segmen.xlsx?tanggal=2024-12-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["asn"][2] == 200 and rows["asn"][3] == 170  # numbers, not text
    assert rows["umum"][2] == 1900 and rows["umum"][3] == 60
    monthly = staf_client.get("/wilayah/33.11/unduh/bulanan.csv?segmen=asn").content
    lines = monthly.decode("utf-8-sig").splitlines()
    assert lines[0] == "Akhir bulan,Aktivasi baru,Kumulatif"
    assert lines[-1].endswith(",0,170")


def test_exports_cannot_smuggle_a_formula_into_a_spreadsheet(staf_client, recomputed):
    Region.objects.filter(code="33.11.02").update(name='=HYPERLINK("http://x","Bulu")')
    rows = staf_client.get("/wilayah/33.11/unduh/wilayah.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in rows
    xlsx = staf_client.get("/wilayah/33.11/unduh/wilayah.xlsx").content
    names = [r[1] for r in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x","Bulu")' in names


def test_the_reconciliation_downloads_with_our_figure_and_the_difference(staf_client, recomputed):
    from kecamatan.models import OfficialFigure

    OfficialFigure.objects.create(region=recomputed, as_of=APRIL_9, activated=300, source="Prov")
    lines = staf_client.get("/wilayah/33.11/unduh/rekonsiliasi.csv").content.decode("utf-8-sig")
    assert lines.splitlines() == [
        "Per tanggal,Sumber,Resmi,Kita,Selisih",
        "2025-04-09,Prov,300,280,-20",
    ]


def test_an_unknown_table_or_format_is_404(staf_client, recomputed):
    assert staf_client.get("/wilayah/33.11/unduh/rahasia.csv").status_code == 404
    assert staf_client.get("/wilayah/33.11/unduh/wilayah.pdf").status_code == 404


# --- the map --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("33.11.01", ("33.11.01", False)),
        ("331101", ("33.11.01", False)),
        ("3311010", ("33.11.01", False)),  # BPS kecamatan
        ("ID3311020", ("33.11.02", False)),  # HDX p-code
        ("3311012001", ("33.11.01.2001", False)),  # Kemendagri desa without dots
        ("3311010001", ("33.11.01", True)),  # BPS desa: only its kecamatan is certain
        ("33.11.01.2001", ("33.11.01.2001", False)),
        ("Weru", (None, False)),
    ],
)
def test_boundary_codes_from_kemendagri_or_bps(raw, expected):
    assert kemendagri_code(raw) == expected


def _square(x: float, y: float, size: float = 0.05) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _geojson(tmp_path, features: list[tuple[str, dict]], key: str = "kode"):
    path = tmp_path / "batas.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {key: code}, "geometry": geometry}
                    for code, geometry in features
                ],
            }
        )
    )
    return path


def test_without_boundaries_a_tile_grid_stands_in(staf_client, recomputed):
    html = _html(staf_client, "/")
    tiles = html[html.index('data-testid="map-tiles"') :]
    assert 'href="/wilayah/33.11.01/"' in tiles and "10,0%" in tiles
    assert "map-outlines" not in html


def test_loaded_boundaries_draw_the_kecamatan_map(staf_client, recomputed, tmp_path):
    path = _geojson(
        tmp_path, [("3311010", _square(110.8, -7.8)), ("3311020", _square(110.85, -7.8))]
    )
    call_command("load_boundaries", str(path))
    assert set(RegionBoundary.objects.values_list("region_id", flat=True)) == {
        "33.11.01",
        "33.11.02",
    }
    html = _html(staf_client, "/")
    assert 'data-testid="map-outlines"' in html and "map-tiles" not in html
    figure = json.loads(
        html.split('id="map-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    shapes = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert [t["name"] for t in shapes] == ["Weru", "Bulu"]
    assert shapes[0]["customdata"][0] == "/wilayah/33.11.01/"


def test_desa_outlines_are_dissolved_into_their_kecamatan(recomputed, tmp_path):
    path = _geojson(
        tmp_path,
        [
            ("33.11.01.2001", _square(110.80, -7.80)),
            ("33.11.01.2002", _square(110.85, -7.80)),  # shares an edge with Alasombo
            ("3311020001", _square(110.90, -7.80)),  # BPS desa code in Bulu
        ],
    )
    call_command("load_boundaries", str(path))
    weru = RegionBoundary.objects.get(region_id="33.11.01").geometry
    assert weru["type"] == "Polygon"  # one outline, the shared edge gone
    xs = [p[0] for p in weru["coordinates"][0]]
    assert min(xs) == pytest.approx(110.80) and max(xs) == pytest.approx(110.90)
    assert RegionBoundary.objects.filter(region_id="33.11.01.2001").exists()
    assert RegionBoundary.objects.filter(region_id="33.11.02").exists()


def test_a_bad_boundary_file_loads_nothing_and_says_why(recomputed, tmp_path):
    path = _geojson(
        tmp_path, [("3311010", _square(110.8, -7.8)), ("3399010", _square(110.9, -7.8))]
    )
    with pytest.raises(CommandError, match="33.99.01 tidak ada di daftar wilayah"):
        call_command("load_boundaries", str(path))
    assert not RegionBoundary.objects.exists()
    (tmp_path / "rusak.geojson").write_text("{not json")
    with pytest.raises(CommandError, match="Bukan berkas GeoJSON"):
        call_command("load_boundaries", str(tmp_path / "rusak.geojson"))


# --- a fixed number of queries --------------------------------------------------------------


def _add_children(parent: str, level: str, upto: int) -> None:
    """Give `parent` children numbered up to `upto` in all (the small kabupaten has 2 or 3)."""
    have = Region.objects.filter(parent_id=parent).count()
    new = [
        Region(
            code=f"{parent}.{i:03d}" if level == "kecamatan" else f"{parent}.{3000 + i}",
            name=f"Wilayah {i}",
            level=level,
            depth=Region.DEPTHS[level],
            parent_id=parent,
        )
        for i in range(have + 1, upto + 1)
    ]
    Region.objects.bulk_create(new)
    KtpHolderCount.objects.bulk_create(
        KtpHolderCount(region=r, segment_id="umum", valid_from=dt.date(2023, 1, 1), holders=100)
        for r in new
    )
    region_closure_rebuild()


@pytest.mark.parametrize(
    ("path", "parent", "level"),
    [
        ("/", "33.11", "kecamatan"),
        ("/?segmen=asn&urut=persen", "33.11", "kecamatan"),
        ("/?tanggal=2025-01-31", "33.11", "kecamatan"),  # not recomputed: computed on the fly
        ("/wilayah/33.11.01/", "33.11.01", "desa"),
        ("/wilayah/33.11/unduh/wilayah.csv", "33.11", "kecamatan"),
    ],
)
def test_a_page_runs_at_most_14_queries_with_12_or_300_children(
    staf_client, small_kabupaten, path, parent, level
):
    counts = {}
    for children in (12, 300):
        _add_children(parent, level, children)
        progress_recompute(as_of=APRIL_9)
        with CaptureQueriesContext(connection) as queries:
            assert staf_client.get(path).status_code == 200
        counts[children] = len(queries)
    # 12, and once per data generation 1 for the groups of small counts (disclosure.py) and 1
    # for the data date of the stale-data banner (freshness.py).
    assert counts[12] == counts[300] <= 14, counts


def test_a_page_from_the_page_cache_reads_only_who_asks_and_the_recompute(staf_client, recomputed):
    assert staf_client.get("/").status_code == 200  # rendered and kept
    with CaptureQueriesContext(connection) as queries:
        assert staf_client.get("/").status_code == 200
    # The user with its roles, in one statement read afresh on purpose (a deactivation or a
    # new role counts at once); the session comes from the cache; the recompute's status is
    # read on every request where the cache is not shared (as here), and kept per data
    # generation where it is.
    assert len(queries) == 2, [q["sql"][:80] for q in queries]


# --- cached pages follow the data -----------------------------------------------------------


def test_only_a_run_that_succeeds_moves_the_pages_on(staf_client, small_kabupaten):
    """A run starting, or tallying one of its units, changes nothing a page shows (the last
    successful run): the pages stay cached until it ends."""
    from kecamatan.models import RecomputeRun
    from kecamatan.pagecache import pages_generation
    from kecamatan.progress.runs import facts_update, run_start, run_unit

    facts_update(scopes=None)
    progress_recompute(as_of=APRIL_9)
    assert 'data-testid="holders">2.300<' in _html(staf_client, "/")
    before = pages_generation()
    run = run_start(kind=RecomputeRun.Kind.MANUAL, as_of=APRIL_9, units=["33.11.01", "33.11.02"])
    assert run_unit(run_id=run.pk, unit="33.11.01") is False  # tallied, still running
    assert pages_generation() == before
    assert run_unit(run_id=run.pk, unit="33.11.02") is True  # the last unit: the run succeeds
    assert pages_generation() != before


def test_a_cached_page_changes_as_soon_as_its_data_does(staf_client, recomputed):
    from kecamatan.models import OfficialFigure, Target

    assert "30%" in _html(staf_client, "/")
    # A new target (no recompute yet): the on-the-fly date shows it at once.
    Target.objects.create(
        percent=35, valid_from=dt.date(2024, 1, 1), deadline=dt.date(2024, 12, 31)
    )
    assert "35%" in _html(staf_client, "/?tanggal=2024-06-30")
    # An official figure entered by an admin appears on the next view.
    OfficialFigure.objects.create(
        region=recomputed, as_of=APRIL_9, activated=300, source="Disdukcapil Provinsi"
    )
    assert "Disdukcapil Provinsi" in _html(staf_client, "/")
    # A recompute with new activations: the cached figures give way.
    before = _html(staf_client, "/")
    assert "12,2%" in before
    progress_recompute(as_of=dt.date(2025, 4, 10))  # the 5 of 10 April now count
    assert "12,4%" in _html(staf_client, "/")  # 285 / 2.300


def test_a_worker_reads_what_another_worker_changed_on_its_next_page(staf_client, recomputed):
    """The segments, targets and regions a worker keeps in memory per data generation give way
    as soon as the generation moves in the shared cache, whichever process moved it."""
    from django.core.cache import cache

    from kecamatan.models import Segment
    from kecamatan.pagecache import GENERATION_KEY

    assert "Aparatur Sipil Negara" not in _html(staf_client, "/?c=1")
    # Written as another process would: no signal reaches this one, only the cache's number.
    Segment.objects.filter(code="asn").update(name="Aparatur Sipil Negara")
    # Until then this worker shows what it read for this generation (that is the saving).
    assert "Aparatur Sipil Negara" not in _html(staf_client, "/?c=2")
    cache.incr(GENERATION_KEY)
    assert "Aparatur Sipil Negara" in _html(staf_client, "/?c=3")
