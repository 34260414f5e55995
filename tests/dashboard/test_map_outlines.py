"""load_boundaries refuses codes of the other scheme than the one asked for, and a page forgets
the outlines it drew once they change, even when another process changed them."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kecamatan.models import RegionBoundary
from kecamatan.progress.runs import progress_recompute


@pytest.fixture
def recomputed(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return small_kabupaten


def _square(x: float, y: float = -7.8, size: float = 0.05) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _geojson(tmp_path, features: list[tuple[str, dict]]):
    path = tmp_path / "batas.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"kode": code}, "geometry": geometry}
                    for code, geometry in features
                ],
            }
        )
    )
    return path


def test_bps_codes_asked_of_kemendagri_desa_codes_are_refused_naming_the_scheme(
    recomputed, tmp_path
):
    # Read as BPS, 3311012001 is a desa of "kecamatan 012": every desa would be dropped silently.
    path = _geojson(tmp_path, [("3311012001", _square(110.80)), ("3311012002", _square(110.85))])
    with pytest.raises(CommandError, match=r"kode Kemendagri \(mis\. 3311012001\), bukan kode BPS"):
        call_command("load_boundaries", str(path), "--codes", "bps")
    assert not RegionBoundary.objects.exists()


def test_kemendagri_codes_asked_of_bps_codes_are_refused_naming_the_scheme(recomputed, tmp_path):
    path = _geojson(tmp_path, [("3311010", _square(110.80)), ("3311020", _square(110.85))])
    with pytest.raises(CommandError, match=r"kode BPS \(mis\. 3311010\), bukan kode Kemendagri"):
        call_command("load_boundaries", str(path), "--codes", "kemendagri")
    assert not RegionBoundary.objects.exists()
    call_command("load_boundaries", str(path), "--codes", "bps")  # the right scheme loads
    assert RegionBoundary.objects.count() == 2


def test_a_page_forgets_its_outlines_when_another_process_changes_them(staf_client, recomputed):
    """The tests' cache is this process's own, as a server's is without a shared cache: a
    load_boundaries elsewhere bumps a generation this process never sees. Written here without
    any signal or generation bump, the outlines must still reach the (cached) page."""
    first = staf_client.get("/").content.decode()
    assert "map-tiles" in first and "map-outlines" not in first
    RegionBoundary.objects.bulk_create(  # sends no signal, moves no generation
        RegionBoundary(region_id=code, geometry=_square(x), source="elsewhere.geojson")
        for code, x in (("33.11.01", 110.80), ("33.11.02", 110.85))
    )
    html = staf_client.get("/").content.decode()
    assert 'data-testid="map-outlines"' in html and "map-tiles" not in html
    with connection.cursor() as cursor:  # as another process's SQL: no signal here either
        cursor.execute(
            f"DELETE FROM {RegionBoundary._meta.db_table} WHERE region_id = %s", ["33.11.02"]
        )
    assert "map-tiles" in staf_client.get("/").content.decode()


def test_labels_of_small_neighbours_never_sit_on_each_other():
    """Two small desa side by side: the roomier keeps its name and %, the other its % alone;
    a third on the same spot gets no label (it keeps its hover and its table row)."""
    from shapely.geometry import Point

    from kecamatan.dashboard.maps import _labels_that_fit

    # A map 0,1° across (380 px): 0,00026° a pixel; a 9-point character is 5,4 px wide.
    edges_x, edges_y = [0.0, 0.1, None], [0.0, 0.1, None]
    candidates = [
        (0.004, Point(0.0595, 0.051), "Sanggrahan", "5,1%", "#000"),
        (0.009, Point(0.052, 0.051), "Manang", "6,4%", "#000"),
        (0.001, Point(0.051, 0.050), "Kwarasan", "6,6%", "#000"),
        (0.020, Point(0.09, 0.01), "Pandeyan", "5,3%", "#000"),
    ]
    labels = [text for _x, _y, text, _c in _labels_that_fit(candidates, edges_x, edges_y, 9)]
    # Widest first: Pandeyan, Manang whole; Sanggrahan's name would run over Manang's label
    # (it starts 0,0071° left of its point), its % (0,0028°) just clears it; Kwarasan's point is
    # under Manang's label.
    assert labels == ["Pandeyan<br><b>5,3%</b>", "Manang<br><b>6,4%</b>", "<b>5,1%</b>"]
