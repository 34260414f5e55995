"""The segments a restricted viewer sees only combined (progress/disclosure.py), from the cells the
database sums, equal the segments from the cells the first, all-Python version summed — kept
below as the reference — on many random region trees with small and large counts, several
holder versions, and people booked on regions that have children; on whichever database the
suite runs.

The set-based version exists because the Python one took minutes nationally (bench_recompute
step 4)."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import connection

from kecamatan.dialect import date_from_db
from kecamatan.models import ActivationDaily, KtpHolderCount, Region
from kecamatan.progress.disclosure import _combined_by_depth, _combined_groups, _Levels
from kecamatan.regions import region_closure_rebuild

SEGMENTS = ["umum", "pelajar", "asn", "pppk", "tni", "polri"]
VERSIONS = [dt.date(2023, 1, 1), dt.date(2024, 1, 1), dt.date(2025, 1, 1)]


def random_kabupaten(seed: int) -> None:
    rng = random.Random(seed)
    regions = [("33.11", "kabupaten", None)]
    for k in range(1, rng.randint(2, 4) + 1):
        kec = f"33.11.{k:02d}"
        regions.append((kec, "kecamatan", "33.11"))
        for d in range(1, rng.randint(1, 4) + 1):
            regions.append((f"{kec}.{2000 + d}", "desa", kec))
    for code, level, parent in regions:
        Region.objects.create(
            code=code, name=code, level=level, depth=Region.DEPTHS[level], parent_id=parent
        )
    region_closure_rebuild()
    small_or_large = [0, 1, 2, 3, 4, 5, 6, 9, 40, 300]
    holders, facts = [], []
    for code, level, _parent in regions:
        booked_here = level == "desa" or rng.random() < 0.3  # a recap or headcount on a parent
        for segment in SEGMENTS:
            if not booked_here or rng.random() < 0.2:
                continue
            for valid_from in rng.sample(VERSIONS, rng.randint(1, len(VERSIONS))):
                holders.append(
                    KtpHolderCount(
                        region_id=code,
                        segment_id=segment,
                        valid_from=valid_from,
                        holders=rng.choice(small_or_large),
                    )
                )
            if rng.random() < 0.6:
                facts.append(
                    ActivationDaily(
                        region_id=code,
                        segment_id=segment,
                        day=dt.date(2024, 6, 1),
                        people=rng.choice(small_or_large[1:]),
                    )
                )
        if booked_here and rng.random() < 0.2:  # activations where nobody holds a KTP on record
            facts.append(
                ActivationDaily(region_id=code, segment_id="tni", day=dt.date(2024, 7, 1), people=2)
            )
    KtpHolderCount.objects.bulk_create(holders, ignore_conflicts=True)
    ActivationDaily.objects.bulk_create(facts, ignore_conflicts=True)


@pytest.mark.parametrize("seed", range(40))
def test_the_combined_segments_worked_out_in_the_database_equal_the_reference(reference_data, seed):
    random_kabupaten(seed)
    assert _combined_by_depth() == reference_combined_by_depth()


def test_the_random_kabupaten_do_combine_segments(reference_data):
    """The comparison above is not between two empty answers: most seeds combine something."""
    combining = 0
    for seed in range(40):
        random_kabupaten(seed)
        combining += bool(_combined_by_depth())
        ActivationDaily.objects.all().delete()
        KtpHolderCount.objects.all().delete()
        for depth in (4, 3, 2):  # children first: a parent is protected
            Region.objects.filter(depth=depth).delete()
    assert combining >= 20


# --- the reference: the first version, all in Python (its _small and _group_small are kept) -----


def reference_combined_by_depth() -> dict[int, tuple[str, ...]]:
    """The first version's cells (every cell, summed in Python), grouped as the app groups."""
    tree = list(Region.objects.values_list("code", "parent_id", "depth"))
    regions = {code: parent for code, parent, _depth in tree}
    depths = {code: depth for code, _parent, depth in tree}
    parents_with_children = set(regions.values())
    cells = _reference_level_cells(regions, depths, parents_with_children)
    population: dict[str, int] = defaultdict(int)  # segment → holders, to pick fillers
    for (depth, _cell, segment), counts in cells.items():
        if depth == min(depths.values(), default=0):
            population[segment] += max(counts["holders"], default=0)
    levels = _Levels(
        depths=sorted({d for (d, _c, _s) in cells}),
        segments=sorted({segment for (_d, _c, segment) in cells}),
        population=dict(population),
    )
    return _combined_groups(cells, levels)


def _reference_level_cells(regions, depths, parents_with_children) -> dict:
    """{(depth, cell, segment): {"holders": [count per holder version], "activated": n}} for
    every region, and for the people booked on a region that has children (a kecamatan's recap,
    a kabupaten-wide headcount) as a cell of their own one level down: such a cell is what
    "the region minus its children" gives back."""
    cells: dict = defaultdict(lambda: {"holders": [], "activated": 0})
    # Every holder version, and each region × segment's activations: one query for both.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT region_id, segment_id, valid_from, holders FROM kecamatan_ktpholdercount
            UNION ALL
            SELECT region_id, segment_id, NULL, SUM(people) FROM kecamatan_activationdaily
            GROUP BY region_id, segment_id
            """
        )
        rows = cursor.fetchall()
    versions = [(r, s, date_from_db(v), n) for r, s, v, n in rows if v is not None]
    activated = [(r, s, int(n)) for r, s, v, n in rows if v is None]
    epochs = sorted({valid_from for _r, _s, valid_from, _h in versions})
    atoms_by_epoch = []
    for epoch in epochs:  # the count each region and segment has in each holder version
        current: dict = {}
        for region, segment, valid_from, holders in sorted(versions, key=lambda v: v[2]):
            if valid_from <= epoch:
                current[(region, segment)] = holders
        atoms_by_epoch.append(current)

    def targets(booked: str):
        """The cells a count booked on `booked` adds to: its own, every ancestor's."""
        if booked in parents_with_children:
            yield depths[booked] + 1, f"{booked}:own"
        code = booked
        while code is not None:
            yield depths[code], code
            code = regions.get(code)

    for index, atoms in enumerate(atoms_by_epoch):
        for (booked, segment), holders in atoms.items():
            for depth, cell in targets(booked):
                counts = cells[(depth, cell, segment)]["holders"]
                counts.extend([0] * (index + 1 - len(counts)))
                counts[index] += holders
    for booked, segment, people in activated:
        for depth, cell in targets(booked):
            cells[(depth, cell, segment)]["activated"] += people
    for counts in cells.values():
        counts["holders"].extend([0] * (len(epochs) - len(counts["holders"])))
    return cells
