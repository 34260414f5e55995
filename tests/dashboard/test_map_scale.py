"""The map's colours tell the kecamatan apart: classes over the achievement actually on the map,
the same scale on the outlines and the tile grid, with its legend."""

import datetime as dt
import io

from django.core.management import call_command

from kecamatan.dashboard.maps import colour_scale, legend, region_map
from kecamatan.models import Region
from kecamatan.progress.selectors import progress_for_region


def test_the_demo_map_uses_several_colours_with_a_legend_for_each(db):
    call_command("load_demo", stdout=io.StringIO())
    root = Region.objects.get(code="33.11")
    progress = progress_for_region(region=root, as_of=dt.date(2025, 4, 9))
    drawn = region_map(progress, outlines={})
    fills = {tile["name"]: tile["fill"] for tile in drawn["tiles"]}
    # Bulu 3,4% … Sukoharjo 6,4% of a 30% target: one pale colour before, four classes now.
    assert len(set(fills.values())) >= 3
    assert fills["Bulu"] != fills["Sukoharjo"]
    labels = [row["label"] for row in drawn["legend"]]
    assert labels == ["3–4%", "4–5%", "5–6%", "6–7%", "target 30% tercapai"]
    # Every colour in use is explained in the legend.
    assert set(fills.values()) <= {row["fill"] for row in drawn["legend"]}


def test_the_same_scale_colours_the_outlines_when_they_are_loaded(db):
    call_command("load_demo", stdout=io.StringIO())
    root = Region.objects.get(code="33.11")
    progress = progress_for_region(region=root, as_of=dt.date(2025, 4, 9))
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    outlines = {c["code"]: square for c in progress.children}
    tiles = region_map(progress, outlines={})["tiles"]
    drawn = region_map(progress, outlines=outlines)
    assert drawn["kind"] == "outlines"
    assert [t["fillcolor"] for t in drawn["figure"]["data"]] == [t["fill"] for t in tiles]


def test_a_region_at_its_target_takes_the_reached_colour_and_wide_ranges_take_wider_steps():
    children = [{"percent": 2.0}, {"percent": 17.5}, {"percent": 31.0}]
    scale = colour_scale(children, 30)
    # 2 to 17,5: steps of 5 points (2,5 would need seven classes).
    assert [(b.low, b.high) for b in scale] == [
        (0, 5),
        (5, 10),
        (10, 15),
        (15, 20),
        (None, None),
    ]
    assert [row["label"] for row in legend(scale, 30)][-1] == "target 30% tercapai"
