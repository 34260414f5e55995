"""GET /health/: 200 when the database (and the broker, when one is configured) answers and the
nightly recompute succeeded within FRESH_FOR (36 hours; once there is data at all). How old the
data are is reported beside (`data_date`, `data_age_days`, `data`: "stale" or "fresh") without
changing the status: old exports are the office's to fix, not a reason to restart anything.

The container's probe asks `http://127.0.0.1:8000/health/` from inside: plain http, and a host
that is not the public name. HealthProbeMiddleware answers it before Django's HTTPS redirect and
host check, which every other URL still goes through."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from kombu import Connection

from kecamatan.models import ActivationDaily, RecomputeRun
from kecamatan.progress.freshness import data_freshness
from kecamatan.progress.runs import FRESH_FOR


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


def _freshness() -> tuple[str | None, dict]:
    """How old the last successful nightly recompute is: the job the office relies on."""

    finished = (
        RecomputeRun.objects.filter(
            kind=RecomputeRun.Kind.NIGHTLY, status=RecomputeRun.Status.SUCCESS
        )
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    hours = round((timezone.now() - finished).total_seconds() / 3600, 1) if finished else None
    facts = {
        "last_nightly": timezone.localtime(finished).isoformat() if finished else None,
        "hours_since": hours,
    }
    stale = finished is None or timezone.now() - finished > FRESH_FOR
    if stale and ActivationDaily.objects.exists():
        when = f"{hours} h ago" if finished else "never"
        limit = FRESH_FOR.total_seconds() / 3600
        return f"nightly recompute: last success {when} (more than {limit:g} h)", facts
    return None, facts


def health(request):
    problems = [p for p in (_database(), _broker()) if p]
    facts = {}
    if not problems:  # freshness needs the database
        stale, facts = _freshness()
        problems += [stale] if stale else []
        data = data_freshness()
        facts |= {
            "data_date": data.data_date.isoformat() if data.data_date else None,
            "data_age_days": data.age_days,
            "data": data.label if data.data_date else None,
        }
    if problems:
        return JsonResponse({"status": "error", "problems": problems, **facts}, status=503)
    return JsonResponse({"status": "ok", **facts})


HEALTH_PATH = "/health/"


class HealthProbeMiddleware:
    """Answers GET /health/ ahead of SecurityMiddleware (SECURE_SSL_REDIRECT) and CommonMiddleware
    (ALLOWED_HOSTS): a probe gets the health itself, never a redirect to https it cannot follow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
