"""The Celery app. Settings come from Django's (CELERY_*); the beat schedule lives there too.

Each package keeps its own tasks (kecamatan/uploads/tasks.py, kecamatan/progress/tasks.py,
reports/tasks.py); kecamatan/tasks.py only names the first two for autodiscovery, under the task
names queued messages and the beat schedule already carry."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")

# A database or broker that restarts comes back within minutes: tasks that touch them retry with
# growing pauses (acks_late is on for every task: settings.CELERY_TASK_ACKS_LATE).
DATABASE_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 8,
}

# The names this app's tasks were first queued and scheduled under, wherever they live now.
KECAMATAN_TASK = "kecamatan.tasks.{}"

app = Celery("ikd_dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
