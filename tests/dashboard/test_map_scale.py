"""The map's colours say where each region stands against the target path ("seharusnya sudah"),
the same on the outlines and the tile grid, with a legend a reader understands without hover;
the demo draws Sukoharjo's real kecamatan, each labelled with its name and %."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from kecamatan.dashboard.maps import (
    AHEAD,
    BEHIND,
    FAR_BEHIND_STATUS,
    NO_DATA,
    ON_PATH,
    REACHED,
    STATUSES,
    path_status,
    region_map,
)
from kecamatan.models import Region, RegionBoundary
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_for_region


def _figures(activated: int, milestone: int | None, holders: int = 1000) -> dict:
    return {
        "activated": activated,
        "holders": holders,
        "percent": activated * 100 / holders,
        "milestone_people": milestone,
    }


@pytest.mark.parametrize(
    "activated, milestone, expected",
    [
        (40, 100, FAR_BEHIND_STATUS),  # 4% where 10% should be: far behind, not "4–5%"
        (60, 100, BEHIND),
        (94, 100, BEHIND),
        (96, 100, ON_PATH),  # within 5% of the line
        (105, 100, ON_PATH),
        (120, 100, AHEAD),
        (300, 250, REACHED),  # 30% of a 30% target
        (50, None, NO_DATA),  # no target path
    ],
)
def test_a_region_is_coloured_against_the_target_path(activated, milestone, expected):
    assert path_status(_figures(activated, milestone), 30) == expected


def test_hidden_figures_are_grey_and_classes_never_share_a_colour():
    assert path_status({"percent": None, "activated": None, "masked": True}, 30) == NO_DATA
    fills = [s.fill for s in [*STATUSES, NO_DATA]]
    assert len(set(fills)) == len(fills)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    progress_recompute(as_of=dt.date(2025, 4, 9))  # load_demo's runs on commit, never in a test


def test_the_demo_map_shows_sukoharjos_kecamatan_behind_the_line_with_a_legend(demo):
    root = Region.objects.get(code="33.11")
    progress = progress_for_region(region=root, as_of=dt.date(2025, 4, 9))
    drawn = region_map(progress, outlines={})
    fills = {tile["name"]: tile["fill"] for tile in drawn["tiles"]}
    # Bulu 3,4% and Sukoharjo 6,4% where about 11,6% should be by 9 April 2025: both behind,
    # Bulu under half of the line.
    assert fills["Bulu"] == FAR_BEHIND_STATUS.fill
    assert fills["Sukoharjo"] == BEHIND.fill
    labels = [row["label"] for row in drawn["legend"]]
    assert labels == [
        "tertinggal jauh: belum separuh yang seharusnya sudah",
        "tertinggal dari yang seharusnya sudah",
        "sesuai garis (selisih ≤ 5%)",
        "di depan yang seharusnya sudah",
        "target 30% tercapai",
    ]
    assert set(fills.values()) <= {row["fill"] for row in drawn["legend"]}


def test_the_demo_page_draws_12_labelled_kecamatan_without_white_hole_outlines(client, demo):
    client.force_login(User.objects.get(username="pimpinan"))
    html = client.get("/").content.decode()
    assert 'data-testid="map-outlines"' in html and "map-tiles" not in html
    figure = json.loads(
        html.split('id="map-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    shapes = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert len(shapes) == 12
    (labels,) = [t for t in figure["data"] if t.get("mode") == "text"]
    assert "Bulu<br><b>3,4%</b>" in labels["text"] and len(labels["text"]) == 12
    # The kecamatan are merged from their desa without the slivers between them: no holes left.
    for boundary in RegionBoundary.objects.filter(region__depth=3):
        geometry = boundary.geometry
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert all(len(polygon) == 1 for polygon in polygons), boundary.region_id
    # Nothing is stroked white: a filled shape has no stroke (which would outline its holes), and
    # the one stroked trace holds outer edges only.
    for t in figure["data"]:
        assert t.get("line", {}).get("color", "").lower() not in ("#fff", "#ffffff", "white")
    (edges,) = [t for t in figure["data"] if t.get("mode") == "lines" and "fill" not in t]
    assert edges["line"]["color"] != "#ffffff"
    assert all(t["line"]["width"] == 0 for t in shapes)
