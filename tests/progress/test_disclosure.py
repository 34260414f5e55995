"""The subtraction attack, as a Staf member would try it on the whole Sukoharjo demo: collect
every count Staf can read or download — the API for every region, the region table of every
kabupaten and kecamatan page for every segment, the monthly report's workbook — and try to work
a small desa × segment count back out of them.

Each number read is an equation: a sum of desa × segment cells equals it. A hidden cell is
recovered when some combination of those equations (subtraction, repeated, of any kind) isolates
it: linear algebra answers that for all combinations at once. The combined segments are the same
at every date (docs/privacy.md), so one date's equations stand for all.
"""

import csv
import datetime as dt
import io

import numpy as np
import pytest
from openpyxl import load_workbook

from kecamatan.demo import demo_load
from kecamatan.models import KtpHolderCount, Region, Segment
from kecamatan.progress.runs import progress_recompute
from tests.conftest import reference_data_seed

AS_OF = dt.date(2025, 4, 9)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_seed()
        demo_load()
        progress_recompute(as_of=AS_OF)
        yield
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


def _number(value):
    if value in (None, "", "•"):
        return None
    return float(value)


class Equations:
    """What Staf read, as (region, segments) → value per measure."""

    def __init__(self, desa_of: dict[str, list[str]], segments: list[str]):
        self.desa_of, self.segments = desa_of, segments
        self.known = {"holders": {}, "activated": {}}

    def add(self, region: str, segments: tuple[str, ...] | None, measure: str, value) -> None:
        value = _number(value)
        if value is not None:
            self.known[measure][(region, tuple(sorted(segments or self.segments)))] = value

    def determined(self, measure: str, cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The cells among `cells` whose value the equations fix, whatever the other cells."""
        atoms = [(d, s) for desa in self.desa_of.values() for d in desa for s in self.segments]
        atoms = sorted(set(atoms))
        index = {atom: i for i, atom in enumerate(atoms)}
        rows = []
        for region, segments in self.known[measure]:
            row = np.zeros(len(atoms))
            for d in self.desa_of[region]:
                for s in segments:
                    row[index[(d, s)]] = 1
            rows.append(row)
        matrix = np.array(rows)
        _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
        rank = int((singular > 1e-8 * singular[0]).sum())
        null_space = vt[rank:].T  # every direction the equations leave free
        return [c for c in cells if np.linalg.norm(null_space[index[c]]) < 1e-6]


@pytest.mark.django_db
def test_no_small_count_can_be_worked_out_from_what_staf_can_read(demo, staf_client):
    regions = list(Region.objects.values_list("code", "parent_id", "level"))
    segments = list(Segment.objects.values_list("code", flat=True))
    children = {}
    for code, parent, _level in regions:
        children.setdefault(parent, []).append(code)

    def desa(code):
        below = children.get(code, [])
        return [code] if not below else [d for c in below for d in desa(c)]

    seen = Equations({code: desa(code) for code, _p, _l in regions}, segments)

    # 1. The API, for every region: its totals and its segments.
    for code, _parent, _level in regions:
        body = staf_client.get(f"/api/v1/progress/?region={code}").json()
        for measure in ("holders", "activated"):
            seen.add(code, None, measure, body["totals"][measure])
            for s in body["segments"]:
                seen.add(code, (s["code"],), measure, s[measure])
            if body["combined"]:
                seen.add(code, tuple(body["combined"]["codes"]), measure, body["combined"][measure])
    # 2. Every kabupaten and kecamatan page's region table, for every segment: the children.
    for code, _parent, level in regions:
        if level not in ("kabupaten", "kecamatan"):
            continue
        for segment in [None, *segments]:
            query = f"?segmen={segment}" if segment else ""
            response = staf_client.get(f"/wilayah/{code}/unduh/wilayah.csv{query}")
            table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            for row in table[1:]:
                for measure, column in (("holders", 2), ("activated", 3)):
                    seen.add(row[0], (segment,) if segment else None, measure, row[column])
    # 3. The monthly report's workbook: kabupaten segments, kecamatan and desa rows.
    book = load_workbook(io.BytesIO(staf_client.get("/laporan/2025/4/unduh.xlsx").content))
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    names = dict(Segment.objects.values_list("name", "code"))
    for row in sheets["Segmen"][1:]:
        seen.add("33.11", (names.get(row[1], row[0]),), "holders", row[2])
        seen.add("33.11", (names.get(row[1], row[0]),), "activated", row[3])
    for row in sheets["Kecamatan"][1:]:
        seen.add(row[0], None, "holders", row[2])
        seen.add(row[0], None, "activated", row[3])
    for row in sheets["Desa"][1:]:
        seen.add(row[0], None, "holders", row[3])
        seen.add(row[0], None, "activated", row[4])

    # The small desa × segment cells: fewer than five holders, or activations and no holders.
    holders = {
        (r, s): n
        for r, s, n in KtpHolderCount.objects.filter(valid_from__lte=AS_OF)
        .order_by("valid_from")
        .values_list("region_id", "segment_id", "holders")
    }
    small = sorted(cell for cell, n in holders.items() if 0 < n < 5)
    assert len(small) > 100  # the demo has plenty: the test is not vacuous

    for measure in ("holders", "activated"):
        assert len(seen.known[measure]) > 1000  # distinct sums, read many times over
        assert seen.determined(measure, small) == [], measure
    # And the attack does find what is in plain sight: a shown cell is determined.
    last_desa = max(code for code, _p, level in regions if level in ("desa", "kelurahan"))
    shown = [("33.11.01.2001", "umum"), (last_desa, "asn")]
    assert seen.determined("holders", shown) == shown


@pytest.mark.django_db
def test_the_combined_segments_are_the_same_on_every_date(demo, staf_client):
    hidden = {}
    for as_of in ("2023-03-31", "2024-06-30", "2025-04-09"):
        body = staf_client.get(f"/api/v1/progress/?region=33.11.01.2001&as_of={as_of}").json()
        hidden[as_of] = sorted(s["code"] for s in body["segments"] if s["holders"] is None)
    assert len({tuple(h) for h in hidden.values()}) == 1, hidden
    assert "tni" in hidden["2025-04-09"] and "umum" not in hidden["2025-04-09"]
