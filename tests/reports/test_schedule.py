"""The nightly recompute is scheduled in code, at 01:00 WIB."""

from django.conf import settings

from ikd_dashboard.celery import app


def test_beat_runs_the_recompute_every_night_at_one_in_the_morning_jakarta_time():
    entry = settings.CELERY_BEAT_SCHEDULE["recompute-progress-nightly"]
    assert entry["task"] == "kecamatan.tasks.recompute_progress_task"
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({1}, {0})
    assert app.conf.timezone == "Asia/Jakarta"


def test_beat_issues_the_monthly_report_on_the_first_at_six_jakarta_time():
    entry = settings.CELERY_BEAT_SCHEDULE["issue-monthly-report"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {6}, {0})
