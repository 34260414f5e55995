"""GET /health/: 200 when the database (and the broker, when one is configured) answers."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from kombu import Connection


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the caller
        return f"database: {exc.__class__.__name__}: {exc}"
    return None


def _broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"broker: {exc.__class__.__name__}: {exc}"
    return None


def health(request):
    problems = [p for p in (_database(), _broker()) if p]
    if problems:
        return JsonResponse({"status": "error", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})
