"""The Celery app. Settings come from Django's (CELERY_*); the beat schedule lives there too."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikd_dashboard.settings")

app = Celery("ikd_dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
