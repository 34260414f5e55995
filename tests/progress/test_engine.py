"""The progress engine: trajectories and milestones, projections, runs that never overlap, the
regions above a kabupaten, and reconciliation with official figures."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from ikd_dashboard.numbers import rounded
from kecamatan.models import OfficialFigure, ProgressSnapshot, RecomputeRun, Target
from kecamatan.progress.reconcile import reconciliation_rows
from kecamatan.progress.runs import RunBusy, progress_recompute, recompute_run, run_start
from kecamatan.progress.selectors import milestone_status, progress_for_region, progress_trend
from kecamatan.progress.targets import working_days_between

APRIL_9 = dt.date(2025, 4, 9)
SEPT_30 = dt.date(2024, 9, 30)


def totals(region, as_of):
    progress_recompute(as_of=as_of)
    return progress_for_region(region=region, as_of=as_of).totals


def test_the_milestone_is_the_straight_line_from_the_start_level_to_the_target(small_kabupaten):
    t = totals(small_kabupaten, APRIL_9)
    # 30% from 1 January 2025: 230 had activated by 31 December 2024 (80 + 50 + 90 + 10).
    assert (t["target_valid_from"], t["start_level"]) == (dt.date(2025, 1, 1), 230)
    # 99 of the 365 days to 31 December 2025: 230 + (690 − 230) × 99 / 365 = 354,8 → 354.
    assert t["milestone_people"] == 354
    assert milestone_status(t) == "behind"  # 280 < 354


def test_under_the_2024_target_the_line_starts_at_zero(small_kabupaten):
    t = totals(small_kabupaten, SEPT_30)
    # 25% from 1 January 2023 to 31 December 2024 (731 days), day 639: 525 × 639 / 731 = 458,9.
    assert (t["start_level"], t["milestone_people"]) == (0, 458)
    assert milestone_status(t) == "behind"


def test_a_target_raised_in_the_middle_of_a_year_starts_a_new_line_from_that_day(small_kabupaten):
    Target.objects.create(
        percent=30, valid_from=dt.date(2024, 7, 1), deadline=dt.date(2024, 12, 31)
    )
    t = totals(small_kabupaten, SEPT_30)
    assert (t["target_percent"], t["target_people"]) == (Decimal("30"), 630)
    # 220 had activated before 1 July 2024; day 92 of 184: 220 + 410 × 92 / 184 = 425.
    assert (t["start_level"], t["milestone_people"]) == (220, 425)


def test_a_region_past_its_target_is_ahead(small_kabupaten):
    progress_recompute(as_of=APRIL_9)
    asn = next(
        s
        for s in progress_for_region(region=small_kabupaten, as_of=APRIL_9).segments
        if s["code"] == "asn"
    )
    assert (asn["target_people"], asn["milestone_people"], asn["activated"]) == (60, 60, 170)
    assert milestone_status(asn) == "ahead"


def test_a_kecamatan_has_its_own_line(small_kabupaten):
    progress_recompute(as_of=APRIL_9)
    weru = next(
        c
        for c in progress_for_region(region=small_kabupaten, as_of=APRIL_9).children
        if c["code"] == "33.11.01"
    )
    # Start 130 (80 + 50), target 540: 130 + 410 × 99 / 365 = 241,2.
    assert (weru["start_level"], weru["milestone_people"]) == (130, 241)


def test_month_end_milestones_run_from_the_start_level_to_the_target_at_the_deadline(
    small_kabupaten,
):
    """The stored milestone on each month end lies on the straight line from the level the day
    before the target starts to the target at its deadline (2025: 365 days)."""
    for day, elapsed in (
        (dt.date(2025, 1, 31), 31),
        (dt.date(2025, 6, 30), 181),
        (dt.date(2025, 12, 31), 365),
    ):
        t = totals(small_kabupaten, day)
        line = t["start_level"] + (t["target_people"] - t["start_level"]) * elapsed / 365
        assert abs(t["milestone_people"] - line) < 1, (day, t["milestone_people"], line)
    assert t["milestone_people"] == t["target_people"]  # at the deadline: the target itself


def test_a_segment_above_its_target_draws_its_target_line_flat_not_falling(small_kabupaten):
    # ASN: 200 holders, 170 activated by the end of 2024; 30% of 200 is 60, already passed.
    asn = next(s for s in totals_with_segments(small_kabupaten, APRIL_9) if s["code"] == "asn")
    assert (asn["target_people"], asn["milestone_people"], asn["gap_people"]) == (60, 60, 0)
    trend = progress_trend(region=small_kabupaten, as_of=APRIL_9, holders=200, segment="asn")
    line = trend.trajectories[-1]
    assert (line["start"], line["end"]) == (
        (dt.date(2024, 12, 31), 60),
        (dt.date(2025, 12, 31), 60),
    )


def totals_with_segments(region, as_of):
    progress_recompute(as_of=as_of)
    return progress_for_region(region=region, as_of=as_of).segments


def test_paces_over_7_and_30_days_and_the_need_per_working_day(small_kabupaten):
    t = totals(small_kabupaten, APRIL_9)
    # 10 April to 31 December 2025 is 266 days, 38 whole weeks: 190 working days.
    assert working_days_between(APRIL_9, dt.date(2025, 12, 31)) == 190
    assert rounded(t["needed_per_working_day"]) == Decimal("2.16")  # 410 / 190
    assert rounded(t["pace_7d_per_day"]) == Decimal("0")  # nobody in 3–9 April
    five_april = totals(small_kabupaten, dt.date(2025, 4, 5))
    assert rounded(five_april["pace_7d_per_day"]) == Decimal("2.86")  # 20 on 1 April / 7


def test_working_days_skip_weekends():
    friday = dt.date(2025, 4, 11)
    assert working_days_between(friday, friday + dt.timedelta(days=3)) == 1  # Sat, Sun, Mon
    assert working_days_between(friday, friday) == 0


# --- runs ---------------------------------------------------------------------------------------


def test_each_run_is_recorded_with_its_outcome(small_kabupaten):
    run = recompute_run(as_of=APRIL_9)
    assert (run.status, run.as_of, run.units, run.units_done) == (
        "success",
        APRIL_9,
        ["33.11"],
        ["33.11"],
    )
    # Every region's all-segment row and the segments of all but the desa (compute.LEAF_DEPTH):
    # 6 + 2 (kabupaten) + 2 (Weru) + 2 (Bulu).
    assert run.rows == ProgressSnapshot.objects.filter(as_of=APRIL_9).count() == 12
    assert run.finished_at >= run.started_at and run.lock is None


def test_a_second_run_while_one_is_running_is_skipped_and_says_so(small_kabupaten):
    first = run_start(kind="nightly", as_of=APRIL_9, units=["33.11"])
    second = recompute_run(as_of=APRIL_9)
    assert second.status == "skipped"
    assert f"#{first.pk}" in second.message
    assert not ProgressSnapshot.objects.exists()
    with pytest.raises(RunBusy):
        run_start(kind="manual", as_of=APRIL_9, units=[])


def test_a_run_left_running_by_a_dead_worker_is_taken_over_after_two_hours(small_kabupaten):
    stuck = run_start(kind="nightly", as_of=APRIL_9, units=["33.11"])
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        run = recompute_run(as_of=APRIL_9)
    assert run.status == "success"
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "Ditinggalkan" in stuck.message


def test_pages_show_the_last_finished_date_never_a_half_done_run(small_kabupaten):
    progress_recompute(as_of=SEPT_30)
    # A run for 9 April starts and dies after writing nothing usable.
    run_start(kind="nightly", as_of=APRIL_9, units=["33.11"])
    assert progress_for_region(region=small_kabupaten).as_of == SEPT_30


# --- above the kabupaten ------------------------------------------------------------------------


def test_a_province_sums_its_kabupaten(province):
    run = recompute_run(as_of=APRIL_9)
    assert sorted(run.units) == ["33.11", "33.12"]
    progress = progress_for_region(region=province, as_of=APRIL_9)
    t = progress.totals
    assert (t["holders"], t["activated"]) == (2300 + 1000, 280 + 60)
    assert t["target_people"] == 990  # 30% of 3300
    assert rounded(t["pace_30d_per_day"]) == Decimal("3.67")  # (50 + 60) / 30
    assert t["start_level"] == 230  # Wonogiri had nobody before 2025
    assert {c["code"]: c["activated"] for c in progress.children} == {"33.11": 280, "33.12": 60}


def test_recomputing_one_kabupaten_updates_the_province_too(province):
    progress_recompute(as_of=APRIL_9)
    from kecamatan.models import Activation

    Activation.objects.filter(region_id="33.12.01.2001").first().delete()
    run = recompute_run(as_of=APRIL_9, units=["33.12"])
    assert run.units == ["33.12"]
    t = progress_for_region(region=province, as_of=APRIL_9).totals
    assert t["activated"] == 280 + 59


# --- reconciliation -----------------------------------------------------------------------------


def test_reconciliation_shows_ours_beside_the_official_figure_and_the_difference(small_kabupaten):
    progress_recompute(as_of=APRIL_9)  # builds the daily facts
    OfficialFigure.objects.create(
        region_id="33.11", as_of=SEPT_30, activated=230, source="Ditjen Dukcapil"
    )
    OfficialFigure.objects.create(
        region_id="33.11.01", as_of=APRIL_9, activated=175, source="Provinsi"
    )
    rows = reconciliation_rows()
    assert [(r["region_id"], r["official"], r["ours"], r["difference"]) for r in rows] == [
        ("33.11.01", 175, 180, 5),  # Weru on 9 April: 80 + 50 + 30 + 20
        ("33.11", 230, 220, -10),  # the kabupaten on 30 September 2024
    ]
    assert [r["region_id"] for r in reconciliation_rows(region_code="33.11")] == ["33.11"]


# --- after an import, and the nightly catch-up --------------------------------------------------

WONOGIRI_FILE = "nik,tanggal_aktivasi,kode_wilayah\n" + "".join(
    f"331201{41 + i % 20:02d}0185{i:04d},2025-04-09,33.12.01.2001\n" for i in range(1, 11)
)


def _import(tmp_path, *, run_follow_up, capture):
    """Import a checked and confirmed upload as the worker does; its recompute follows on
    commit, or is lost (`run_follow_up` False) as when a worker dies between the two."""
    from kecamatan.models import Upload
    from kecamatan.tasks import upload_import_task
    from kecamatan.uploads.service import upload_create

    path = tmp_path / "wonogiri.csv"
    path.write_text(WONOGIRI_FILE)
    upload = upload_create(kind="aktivasi", path=path, file_name=path.name)
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.QUEUED)
    with capture(execute=run_follow_up):
        upload_import_task.delay(upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.rows_added) == ("imported", 10), upload.errors
    return upload


def test_an_import_recomputes_only_the_units_it_touched(
    province, tmp_path, django_capture_on_commit_callbacks
):
    recompute_run(as_of=dt.date(2025, 4, 10))  # the data runs to 10 April
    upload = _import(tmp_path, run_follow_up=True, capture=django_capture_on_commit_callbacks)
    assert upload.touched_regions == ["33.12.01.2001"]
    follow_up = RecomputeRun.objects.filter(kind="import").get()
    assert (follow_up.status, follow_up.units) == ("success", ["33.12"])
    t = progress_for_region(region=province, as_of=dt.date(2025, 4, 10)).totals
    assert t["activated"] == 280 + 5 + 60 + 10


def test_the_nightly_run_catches_up_on_an_import_whose_recompute_was_lost(
    province, tmp_path, django_capture_on_commit_callbacks
):
    from kecamatan.tasks import recompute_progress_task

    recompute_run(kind="nightly", as_of=dt.date(2025, 4, 10))  # last night's run
    _import(tmp_path, run_follow_up=False, capture=django_capture_on_commit_callbacks)
    assert progress_for_region(region=province).totals["activated"] == 280 + 5 + 60
    recompute_progress_task.delay(as_of="2025-04-10")
    assert progress_for_region(region=province).totals["activated"] == 280 + 5 + 60 + 10


def test_nationally_an_import_recomputes_its_kabupaten_and_sums_the_province_again(
    province, tmp_path, django_capture_on_commit_callbacks
):
    from kecamatan.models import Region
    from kecamatan.regions import region_closure_rebuild

    # A second province: full runs now split by province.
    for code, name, level, parent in [
        ("34", "DI Yogyakarta", "provinsi", None),
        ("34.01", "Kulon Progo", "kabupaten", "34"),
    ]:
        Region.objects.create(
            code=code, name=name, level=level, depth=Region.DEPTHS[level], parent_id=parent
        )
    region_closure_rebuild()
    full = recompute_run(as_of=dt.date(2025, 4, 10))
    assert full.units == ["33", "34"]
    _import(tmp_path, run_follow_up=True, capture=django_capture_on_commit_callbacks)
    follow_up = RecomputeRun.objects.filter(kind="import").get()
    assert (follow_up.status, follow_up.units) == ("success", ["33.12"])
    jawa_tengah = Region.objects.get(code="33")
    t = progress_for_region(region=jawa_tengah, as_of=dt.date(2025, 4, 10)).totals
    assert t["activated"] == 280 + 5 + 60 + 10


def _targets_by_scope(progress) -> dict:
    children = {c["code"]: (c["target_percent"], c["target_people"]) for c in progress.children}
    segments = {s["code"]: (s["target_percent"], s["target_people"]) for s in progress.segments}
    return {"total": progress.totals["target_percent"], **children, **segments}


@pytest.mark.parametrize("stored", [True, False], ids=["recomputed", "on-the-fly"])
def test_segment_and_region_targets_are_chosen_in_the_recompute(small_kabupaten, stored):
    weru = small_kabupaten.children.get(code="33.11.01")
    Target.objects.create(
        percent=80, valid_from=dt.date(2025, 1, 1), deadline=dt.date(2025, 12, 31), segment_id="asn"
    )
    if stored:
        progress_recompute(as_of=APRIL_9)
    kabupaten = _targets_by_scope(progress_for_region(region=small_kabupaten, as_of=APRIL_9))
    # Only the general and the ASN targets: ASN's own, 80% of 200 = 160; the rest 30%.
    assert kabupaten["asn"] == (Decimal("80"), 160)
    assert kabupaten["umum"] == (Decimal("30"), 630)  # 30% of 2.100
    assert kabupaten["total"] == Decimal("30")

    Target.objects.create(
        percent=40, valid_from=dt.date(2025, 1, 1), deadline=dt.date(2025, 12, 31), region=weru
    )
    if stored:
        progress_recompute(as_of=APRIL_9)
    kabupaten = _targets_by_scope(progress_for_region(region=small_kabupaten, as_of=APRIL_9))
    assert kabupaten["33.11.01"] == (Decimal("40"), 720)  # Weru's own: 40% of 1.800
    assert kabupaten["33.11.02"] == (Decimal("30"), 150)  # Bulu keeps the general 30% of 500
    in_weru = _targets_by_scope(progress_for_region(region=weru, as_of=APRIL_9))
    # The nearest region scope wins over a segment's own target: Weru's ASN is at 40% of 100.
    assert in_weru["asn"] == (Decimal("40"), 40)
    assert in_weru["33.11.01.2001"] == (Decimal("40"), 520)  # 40% of 1.300
