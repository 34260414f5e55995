"""Admin pages of the engine: targets with their change log, recompute runs, official figures;
and the dashboard's warning when figures are stale."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kecamatan.models import OfficialFigure, RecomputeRun, Target, TargetChange
from kecamatan.progress.runs import progress_recompute


@pytest.mark.parametrize("url", ["/target/", "/hitung-ulang/", "/rekonsiliasi/"])
@pytest.mark.parametrize("persona", ["staf", "pimpinan"])
def test_only_admins_manage_targets_runs_and_official_figures(client, request, url, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_an_admin_adds_a_target_version_and_the_change_is_logged(
    admin_client, small_kabupaten, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/target/",
            {
                "percent": "35",
                "valid_from": "2026-01-01",
                "deadline": "2026-12-31",
                "region": "33.11.01",
                "segment": "",
                "note": "Target kecamatan 2026",
            },
        )
    assert response.status_code == 302
    target = Target.objects.get(valid_from=dt.date(2026, 1, 1))
    assert (target.percent, target.region_id, target.segment_id) == (35, "33.11.01", None)
    change = TargetChange.objects.get()
    assert (change.action, change.changed_by.username) == ("create", "admin")
    assert "35% s.d. 31/12/2026" in change.after and "33.11.01" in change.after
    assert RecomputeRun.objects.filter(kind="manual", status="success").exists()
    html = admin_client.get("/target/").content.decode()
    assert "Target kecamatan 2026" in html and "admin" in html


def test_editing_a_target_logs_before_and_after(admin_client, db):
    target = Target.objects.get(valid_from=dt.date(2025, 1, 1), segment=None, region=None)
    admin_client.post(
        f"/target/{target.pk}/",
        {
            "percent": "30",
            "valid_from": "2025-01-01",
            "deadline": "2026-06-30",
            "region": "",
            "segment": "",
            "note": "Tenggat diperpanjang",
        },
    )
    change = TargetChange.objects.get()
    assert change.action == "update"
    assert "31/12/2025" in change.before and "30/06/2026" in change.after


def test_a_deadline_before_the_start_is_refused(admin_client, db):
    response = admin_client.post(
        "/target/",
        {
            "percent": "30",
            "valid_from": "2026-01-01",
            "deadline": "2025-12-31",
            "region": "",
            "segment": "",
        },
    )
    assert response.status_code == 200
    assert "Tenggat harus sesudah tanggal mulai berlaku" in response.content.decode()
    assert not TargetChange.objects.exists()


def test_the_runs_page_lists_each_run_with_its_outcome(admin_client, small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    html = admin_client.get("/hitung-ulang/").content.decode()
    assert "Berhasil" in html and "9 April 2025" in html


def test_an_admin_enters_an_official_figure_and_sees_the_difference(admin_client, small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    admin_client.post(
        "/rekonsiliasi/",
        {
            "region": "33.11",
            "as_of": "2025-04-09",
            "activated": "300",
            "holders": "",
            "source": "Ditjen Dukcapil",
            "note": "",
        },
    )
    assert OfficialFigure.objects.get().activated == 300
    html = admin_client.get("/rekonsiliasi/").content.decode()
    assert "300" in html and "280" in html and "-20" in html
    region_page = admin_client.get("/").content.decode()
    assert "Rekonsiliasi dengan angka resmi" in region_page and "-20" in region_page


def test_the_dashboard_warns_when_the_last_good_run_is_older_than_36_hours(
    staf_client, staf, small_kabupaten
):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    assert 'data-testid="stale-warning"' not in staf_client.get("/").content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=37)):
        staf_client.force_login(staf)  # yesterday's session has expired (8 hours)
        html = staf_client.get("/").content.decode()
    assert 'data-testid="stale-warning"' in html
    assert "lebih dari 36 jam" in html
