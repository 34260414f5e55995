"""A real Celery worker on Redis runs the recompute; the snapshot then appears in PostgreSQL."""

import datetime as dt
import time

import pytest

from kecamatan.models import ProgressSnapshot, RecomputeRun
from kecamatan.tasks import recompute_progress_task
from tests.conftest import small_kabupaten_create

pytestmark = pytest.mark.services


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_worker_runs_the_recompute_task_and_the_snapshot_appears(celery_worker):
    from kecamatan.progress.runs import facts_update

    small_kabupaten_create()
    facts_update(scopes=None)  # what a data load does; the nightly task reads the facts
    recompute_progress_task.apply_async(args=["2025-04-09"], queue=celery_worker)
    assert _wait_for(
        lambda: ProgressSnapshot.objects.filter(
            as_of="2025-04-09", region_id="33.11", segment=None
        ).exists()
    )
    snapshot = ProgressSnapshot.objects.get(as_of="2025-04-09", region_id="33.11", segment=None)
    assert (snapshot.holders, snapshot.activated, snapshot.gap_people) == (2300, 280, 410)


def test_a_worker_checks_and_imports_an_upload_in_the_background(celery_worker, tmp_path, settings):
    from kecamatan.models import Activation, Upload
    from kecamatan.tasks import upload_check_task, upload_import_task
    from kecamatan.uploads.service import upload_create
    from tests.uploads.test_ingest import CANONICAL

    small_kabupaten_create()
    before = Activation.objects.count()
    path = tmp_path / "aktivasi.csv"
    path.write_text(CANONICAL)
    upload = upload_create(kind="aktivasi", path=path, file_name="aktivasi.csv")
    upload_check_task.apply_async(args=[upload.pk], queue=celery_worker)
    assert _wait_for(lambda: Upload.objects.get(pk=upload.pk).status == "checked")
    Upload.objects.filter(pk=upload.pk).update(status="queued")  # what the confirm button does
    upload_import_task.apply_async(args=[upload.pk], queue=celery_worker)
    assert _wait_for(lambda: Upload.objects.get(pk=upload.pk).status == "imported")
    assert Activation.objects.count() == before + 4
    assert not path.exists()


def test_workers_run_the_split_nightly_job_with_the_same_totals_as_in_process(celery_worker):
    from kecamatan.models import RecomputeRun
    from kecamatan.progress.runs import recompute_run
    from tests.conftest import province_create

    province_create()
    recompute_run(as_of=dt.date(2025, 4, 9))

    def figures():
        return sorted(
            ProgressSnapshot.objects.filter(as_of="2025-04-09").values_list(
                "region_id",
                "segment_id",
                "holders",
                "activated",
                "gap_people",
                "milestone_people",
                "projected_date",
            ),
            key=str,
        )

    in_process = figures()
    ProgressSnapshot.objects.all().delete()
    recompute_progress_task.apply_async(args=["2025-04-09"], queue=celery_worker)
    assert _wait_for(lambda: RecomputeRun.objects.filter(kind="nightly", status="success").exists())
    run = RecomputeRun.objects.get(kind="nightly")
    assert sorted(run.units_done) == ["33.11", "33.12"]
    assert figures() == in_process


@pytest.fixture
def shared_cache(settings):
    """As in production: this process and the worker share the Redis cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ikd_dashboard.cache.SharedClientRedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
        }
    }


def test_a_page_shows_a_run_the_worker_finished_at_once_through_the_shared_cache(
    celery_worker, shared_cache, staf_client
):
    """Pages keep the recompute's status for a data generation (pagecache.py): a run
    the worker finishes moves the generation in Redis, so the very next page shows it."""
    from kecamatan.progress.runs import facts_update

    small_kabupaten_create()
    facts_update(scopes=None)
    before = staf_client.get("/").content.decode()
    assert "Belum ada angka capaian" in before
    assert "capaian belum pernah dihitung ulang" in before  # no run has finished yet
    recompute_progress_task.apply_async(args=["2025-04-09"], queue=celery_worker)
    assert _wait_for(
        lambda: RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS).exists()
    )
    after = staf_client.get("/").content.decode()
    assert 'data-testid="holders">2.300<' in after
    assert 'data-testid="stale-warning"' not in after  # the finished run is seen at once


def test_a_worker_works_out_the_combined_segments_as_soon_as_a_run_ends(
    celery_worker, shared_cache
):
    """Which segments a viewer without the Pimpinan role sees only combined is worked out on a
    worker when a run ends, so no page request has to (seconds nationally:
    progress/disclosure.py)."""
    from django.core.cache import cache

    from kecamatan.models import KtpHolderCount
    from kecamatan.pagecache import pages_generation
    from kecamatan.progress.disclosure import Combined, _combined_by_depth
    from kecamatan.progress.runs import facts_update

    small_kabupaten_create()
    # Three TNI members hold a KTP in Puron: a small count, shown only combined.
    KtpHolderCount.objects.create(
        region_id="33.11.02.2001", segment_id="tni", valid_from="2023-01-01", holders=3
    )
    facts_update(scopes=None)
    recompute_progress_task.apply_async(args=["2025-04-09"], queue=celery_worker)
    assert _wait_for(
        lambda: RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS).exists()
    )
    key = f"ikd:privacy:combined:{pages_generation()}"
    assert _wait_for(lambda: cache.get(key) is not None)
    assert cache.get(key) == Combined(by_depth=_combined_by_depth())
    assert "tni" in cache.get(key).at(4)
