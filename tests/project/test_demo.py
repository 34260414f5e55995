"""`load_demo`: Sukoharjo as the press reported it, the same every time, with working logins."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory

from kecamatan.models import Activation, ProgressSnapshot, Region
from kecamatan.progress.selectors import progress_for_region


@pytest.fixture
def demo_output(db, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_all_regions_of_sukoharjo(demo_output):
    assert Region.objects.filter(level="kecamatan", parent_id="33.11").count() == 12
    assert Region.objects.filter(level="desa").count() == 150
    assert Region.objects.filter(level="kelurahan").count() == 17
    assert Region.objects.get(code="33.11.01").name == "Weru"


def test_the_dashboard_figures_match_the_press_on_9_april_2025(demo_output):
    progress = progress_for_region(region=Region.objects.get(code="33.11"))
    t = progress.totals
    assert progress.as_of == dt.date(2025, 4, 9)
    assert 670_000 <= t["holders"] <= 690_000
    assert 32_000 <= t["activated"] <= 35_000
    assert 4 <= t["percent"] <= 5
    assert t["target_percent"] == 30
    assert 165_000 <= t["gap_people"] <= 175_000


def test_the_dashboard_explains_why_the_segment_gaps_add_up_to_more(demo_output, client):
    from django.contrib.auth.models import User

    from kecamatan.vocabulary import format_people

    progress = progress_for_region(region=Region.objects.get(code="33.11"))
    summed = sum(s["gap_people"] for s in progress.segments if s["gap_people"] is not None)
    total = progress.totals["gap_people"]
    assert summed > total  # segments above their own target do not fill the others' gaps
    client.force_login(User.objects.get(username="staf"))
    page = client.get("/").content.decode()
    explanation = page.split('data-testid="gap-explanation">', 1)[1].split("</p>", 1)[0]
    assert explanation.startswith(
        f"Kekurangan per segmen berjumlah {format_people(summed)} orang, "
        f"{format_people(summed - total)} lebih banyak dari kekurangan total "
        f"({format_people(total)})"
    )


def test_the_history_follows_the_press_milestones(demo_output):
    reported = {
        "2023-02-28": 9_000,
        "2023-06-30": 15_000,
        "2023-12-31": 20_000,
        "2024-09-30": 32_000,
    }
    for day, count in reported.items():
        assert abs(Activation.objects.filter(activated_on__lte=day).count() - count) <= count * 0.05


def test_government_staff_lead_pelajar_lead_the_public(demo_output):
    segments = {
        s["code"]: s["percent"]
        for s in progress_for_region(region=Region.objects.get(code="33.11")).segments
    }
    government = ["asn", "pppk", "bumn", "bumd", "tni", "polri"]
    assert min(segments[g] for g in government) > segments["pelajar"] > segments["umum"]


def test_kecamatan_differ_visibly(demo_output):
    children = progress_for_region(region=Region.objects.get(code="33.11")).children
    percents = [c["percent"] for c in children]
    assert max(percents) - min(percents) >= 2


def test_early_activations_are_mostly_government_staff(demo_output):
    early = Activation.objects.filter(activated_on__lte="2023-02-28")
    government = early.exclude(segment_id__in=["pelajar", "umum"]).count()
    assert government > early.count() / 2


def test_it_recomputes_and_prints_working_logins(demo_output):
    assert ProgressSnapshot.objects.filter(as_of="2025-04-09", region_id="33.11").exists()
    for username in ("staf", "pimpinan", "admin"):
        password = re.search(rf"^\s+{username}\s+(\S+)$", demo_output, re.M).group(1)
        # As the login page does it (the lockout backend wants the request).
        request = RequestFactory().post("/masuk/")
        assert authenticate(request, username=username, password=password) is not None


def test_it_is_the_same_every_time_it_is_loaded(demo_output):
    def fingerprint():
        return list(
            Activation.objects.values("activated_on", "region_id", "segment_id", "place")
            .annotate(n=Count("pk"))
            .order_by("activated_on", "region_id", "segment_id", "place")
        )

    first, hashes = fingerprint(), set(Activation.objects.values_list("nik_hash", flat=True))
    call_command("load_demo", stdout=io.StringIO())
    assert fingerprint() == first
    assert set(Activation.objects.values_list("nik_hash", flat=True)) == hashes


def test_the_outreach_history_matches_the_demos_activations(demo_output):
    from kecamatan.models import Visit
    from kecamatan.outreach.reconcile import reported_vs_recorded
    from kecamatan.outreach.selectors import double_bookings

    held = Visit.objects.filter(status="held")
    assert set(held.values_list("place", flat=True)) >= {"sekolah", "instansi", "desa", "pasar"}
    assert held.order_by("held_on").first().held_on < dt.date(2023, 2, 1)
    assert held.order_by("held_on").last().held_on <= dt.date(2025, 4, 9)
    # Each visit's people are in the files on its day and place type, in its kecamatan; the
    # officer's count is off by a few at most.
    rows = reported_vs_recorded(region=Region.objects.get(code="33.11"), since=None, until=None)
    assert rows["rows"] and all(
        -1 <= r["reported"] - r["recorded_kecamatan"] <= 3 for r in rows["rows"]
    )
    # Most pupils and market-goers live in the host desa; office staff come from anywhere.
    assert rows["totals"]["recorded"] > rows["totals"]["recorded_kecamatan"] * 0.5
    # Failures by reason, and four weeks of plans after the data with one officer booked twice.
    assert Visit.objects.filter(failures__reason_id="tanpa_hp").exists()
    planned = Visit.objects.filter(status="planned")
    assert planned.order_by("planned_on").first().planned_on > dt.date(2025, 4, 9)
    assert [b.username for b in double_bookings(planned)] == ["petugas"]


def test_the_outreach_history_is_the_same_every_time(demo_output):
    from kecamatan.models import Visit

    def fingerprint():
        return list(
            Visit.objects.order_by(
                "planned_on", "region_id", "place", "location", "status"
            ).values_list("planned_on", "region_id", "place", "location", "status", "activated")
        )

    first = fingerprint()
    call_command("load_demo", stdout=io.StringIO())
    assert fingerprint() == first


def test_the_demos_rosters_are_the_same_every_time(demo_output):
    from kecamatan.models import RosterMember

    def fingerprint():
        return set(
            RosterMember.objects.values_list("institution__code", "nik_hash", "outside_kabupaten")
        )

    first = fingerprint()
    assert len(first) > 6000 and "43 instansi dengan daftar anggota" in demo_output
    call_command("load_demo", stdout=io.StringIO())
    assert fingerprint() == first


def test_the_demos_past_months_are_issued_not_drafts(demo_output, client):
    from reports.models import MonthlyReport

    months = list(MonthlyReport.objects.order_by("month").values_list("month", "number"))
    # January 2023 (the first activation) to March 2025: April 2025 is the data's own month.
    assert (months[0][0], months[-1][0], len(months)) == (
        dt.date(2023, 1, 1),
        dt.date(2025, 3, 1),
        27,
    )
    assert months[-1][1] == "470/03/IKD/III/2025"
    assert "Laporan bulanan diterbitkan: 27 bulan" in demo_output
