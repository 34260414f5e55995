"""Progress figures on the hand-made kabupaten (tests/conftest.py), worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError

from ikd_dashboard.numbers import rounded
from kecamatan.models import Activation, ProgressSnapshot, RecomputeRun, Region, Target
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_for_region
from kecamatan.progress.targets import target_in_force

APRIL_9 = dt.date(2025, 4, 9)
SEPT_30 = dt.date(2024, 9, 30)


def test_target_in_force_is_the_latest_version_on_or_before_the_date(db):
    assert target_in_force(on=dt.date(2024, 12, 31)).percent == Decimal("25")
    assert target_in_force(on=dt.date(2025, 1, 1)).percent == Decimal("30")
    assert target_in_force(on=dt.date(2022, 6, 1)) is None


def test_a_segment_target_overrides_the_general_one_for_that_segment_only(db):
    Target.objects.create(
        percent=80, valid_from=dt.date(2025, 1, 1), deadline=dt.date(2025, 6, 30), segment_id="asn"
    )
    assert target_in_force(on=APRIL_9, segment_code="asn").percent == Decimal("80")
    assert target_in_force(on=APRIL_9, segment_code="umum").percent == Decimal("30")


def test_kabupaten_figures_on_9_april_2025_under_the_30_percent_target(small_kabupaten):
    progress_recompute(as_of=APRIL_9)
    t = progress_for_region(region=small_kabupaten, as_of=APRIL_9).totals
    # Holders: 1200 (2025 semester) + 100 + 500 + 400 + 100.
    assert t["holders"] == 2300
    # 80 + 50 + 30 + 20 + 90 + 10; the 5 of 10 April are after the date.
    assert t["activated"] == 280
    assert rounded(t["percent"]) == Decimal("12.17")  # 280 / 2300 = 12.1739…
    assert t["target_percent"] == Decimal("30")
    assert t["target_deadline"] == dt.date(2025, 12, 31)
    assert t["target_people"] == 690  # 30% of 2300
    assert t["gap_people"] == 410
    # Last 30 days (after 10 March): 30 on 20 March + 20 on 1 April = 50 → 50 / 30.
    assert rounded(t["pace_30d_per_day"]) == Decimal("1.67")
    # 266 days to 31 December 2025: 410 / 266 = 1.541…; a month is 30.4375 days → 46.914…
    assert rounded(t["needed_per_day"]) == Decimal("1.54")
    assert rounded(t["needed_per_month"]) == Decimal("46.91")
    # 410 people at 50 per 30 days: ceil(246.0) = 246 days after 9 April 2025.
    assert t["projected_date"] == dt.date(2025, 12, 11)


def test_kabupaten_figures_on_30_september_2024_use_the_25_percent_target_and_old_holders(
    small_kabupaten,
):
    progress_recompute(as_of=SEPT_30)
    t = progress_for_region(region=small_kabupaten, as_of=SEPT_30).totals
    assert t["holders"] == 2100  # desa 2001 still had 1000 umum holders
    assert t["activated"] == 220  # 80 + 50 + 90
    assert rounded(t["percent"]) == Decimal("10.48")
    assert t["target_percent"] == Decimal("25")
    assert t["target_deadline"] == dt.date(2024, 12, 31)
    assert t["target_people"] == 525
    assert t["gap_people"] == 305
    assert rounded(t["pace_30d_per_day"]) == Decimal("0")
    assert rounded(t["needed_per_day"]) == Decimal("3.32")  # 305 / 92 days
    assert rounded(t["needed_per_month"]) == Decimal("100.91")  # 305 × 30.4375 / 92
    assert t["projected_date"] is None  # nobody activated in the last 30 days


def test_children_and_segments_have_their_own_figures(small_kabupaten):
    progress_recompute(as_of=APRIL_9)
    progress = progress_for_region(region=small_kabupaten, as_of=APRIL_9)
    weru = next(c for c in progress.children if c["code"] == "33.11.01")
    assert (weru["holders"], weru["activated"], weru["percent"]) == (1800, 180, Decimal("10.00"))
    assert (weru["target_people"], weru["gap_people"]) == (540, 360)
    assert rounded(weru["needed_per_day"]) == Decimal("1.35")  # 360 / 266
    assert weru["projected_date"] == dt.date(2025, 11, 11)  # ceil(360 × 30 / 50) = 216 days
    asn = next(s for s in progress.segments if s["code"] == "asn")
    assert (asn["holders"], asn["activated"], asn["percent"]) == (200, 170, Decimal("85.00"))
    # Target reached: no gap, nothing more needed, reached as of the date itself.
    assert (asn["gap_people"], asn["needed_per_day"]) == (0, Decimal("0"))
    assert asn["projected_date"] == APRIL_9
    umum = next(s for s in progress.segments if s["code"] == "umum")
    assert (umum["holders"], umum["activated"]) == (2100, 110)


def test_a_desa_shows_its_segments_computed_from_the_facts_adding_up_to_its_stored_row(
    small_kabupaten,
):
    progress_recompute(as_of=APRIL_9)
    assert not ProgressSnapshot.objects.filter(
        region__level="desa", segment__isnull=False
    ).exists()  # not stored: the pages below compute them
    alasombo = Region.objects.get(code="33.11.01.2001")
    desa = progress_for_region(region=alasombo, as_of=APRIL_9)
    stored = ProgressSnapshot.objects.get(as_of=APRIL_9, region=alasombo, segment=None)
    assert (desa.totals["holders"], desa.totals["activated"]) == (stored.holders, stored.activated)
    assert desa.computed_at == stored.computed_at
    shown = {s["code"]: (s["holders"], s["activated"]) for s in desa.segments if s["holders"]}
    assert shown == {"umum": (1200, 50 + 30), "asn": (100, 80)}  # SMALL_HOLDERS, _ACTIVATIONS
    assert sum(h for h, _ in shown.values()) == stored.holders
    assert sum(a for _, a in shown.values()) == stored.activated
    # A kecamatan filtered by a segment: its desa's figures for that segment, from the facts.
    weru = progress_for_region(region=alasombo.parent, as_of=APRIL_9, segment="asn")
    by_desa = {c["code"]: (c["holders"], c["activated"]) for c in weru.children}
    assert by_desa == {"33.11.01.2001": (100, 80), "33.11.01.2002": (None, None)}
    assert (weru.totals["holders"], weru.totals["activated"]) == (100, 80)


def test_recompute_twice_gives_the_same_rows(small_kabupaten):
    first = progress_recompute(as_of=APRIL_9)
    rows_first = list(
        ProgressSnapshot.objects.values_list(
            "region_id", "segment_id", "activated", "holders", "gap_people", "projected_date"
        ).order_by("region_id", "segment_id")
    )
    second = progress_recompute(as_of=APRIL_9)
    rows_second = list(
        ProgressSnapshot.objects.values_list(
            "region_id", "segment_id", "activated", "holders", "gap_people", "projected_date"
        ).order_by("region_id", "segment_id")
    )
    assert first == second == len(rows_second)
    assert rows_first == rows_second


def test_a_recompute_that_fails_leaves_the_previous_figures_and_says_so(
    small_kabupaten, monkeypatch
):
    progress_recompute(as_of=APRIL_9)
    before = ProgressSnapshot.objects.get(as_of=APRIL_9, region_id="33.11", segment=None)
    extra = Activation.objects.first()  # one more person, so new figures would differ
    extra.pk, extra.nik_hash = None, "f" * 64
    extra.save()

    import kecamatan.progress.runs as runs_module

    original = runs_module.subtree_sql

    def broken_after_the_facts(**kwargs):
        # Fails after the unit has already rebuilt its facts and deleted its old snapshots.
        sql, params = original(**kwargs)
        return sql.replace("FROM with_gap t", "FROM no_such_table t"), params

    monkeypatch.setattr(runs_module, "subtree_sql", broken_after_the_facts)
    with pytest.raises(DatabaseError):
        progress_recompute(as_of=APRIL_9)
    after = ProgressSnapshot.objects.get(as_of=APRIL_9, region_id="33.11", segment=None)
    assert (after.pk, after.activated) == (before.pk, before.activated)
    failed = RecomputeRun.objects.latest("pk")
    assert failed.status == "failed" and "no_such_table" in failed.message
    assert failed.lock is None  # the next run can start
    monkeypatch.setattr(runs_module, "subtree_sql", original)
    assert progress_recompute(as_of=APRIL_9) > 0
    fixed = ProgressSnapshot.objects.get(as_of=APRIL_9, region_id="33.11", segment=None)
    assert fixed.activated == before.activated + 1


def test_a_date_never_recomputed_is_computed_on_the_fly_with_the_same_figures(small_kabupaten):
    progress_recompute(as_of=SEPT_30)  # builds the daily facts; only 30 September is stored
    live = progress_for_region(region=small_kabupaten, as_of=APRIL_9)
    assert not ProgressSnapshot.objects.filter(as_of=APRIL_9).exists()
    assert live.computed_at is None
    progress_recompute(as_of=APRIL_9)
    stored = progress_for_region(region=small_kabupaten, as_of=APRIL_9)
    assert live.totals == stored.totals
    assert live.children == stored.children
    assert live.segments == stored.segments


def test_a_trend_counts_the_people_under_its_region_however_many_roots_are_loaded(db):
    from kecamatan.progress.runs import facts_update
    from kecamatan.progress.selectors import progress_trend
    from kecamatan.regions import region_closure_rebuild
    from tests.conftest import province_create

    def people(code):
        region = Region.objects.get(code=code)
        return progress_trend(region=region, as_of=dt.date(2025, 4, 9), holders=3300).cumulative

    province_create()  # Sukoharjo: 280 people by 9 April 2025; Wonogiri beside it: 60
    facts_update(scopes=None)
    # Jawa Tengah is the only root: its trend reads every fact.
    assert people("33")[-1] == 280 + 60
    assert people("33")[0] == 80  # February 2023, Sukoharjo's ASN
    # Both kabupaten loaded without their province: two roots, each with its own people.
    Region.objects.filter(parent_id="33").update(parent_id=None)
    Region.objects.filter(code="33").delete()
    region_closure_rebuild()
    assert people("33.11")[-1] == 280
    assert people("33.11")[0] == 80
    assert people("33.12") == [60, 60]  # March 2025, and April up to the 9th
