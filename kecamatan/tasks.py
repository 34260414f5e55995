"""Celery tasks: thin shells around the plain functions in this app."""

import datetime as dt

from celery import shared_task
from django.db import OperationalError

from .ingest import upload_check, upload_import, uploads_expire
from .progress import progress_recompute


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_progress_task(as_of: str | None = None) -> int:
    """Recompute the snapshots of one date (ISO string), or of the latest data date."""
    return progress_recompute(as_of=dt.date.fromisoformat(as_of) if as_of else None)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def upload_check_task(upload_id: int) -> None:
    upload_check(upload_id=upload_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def upload_import_task(upload_id: int) -> None:
    upload_import(upload_id=upload_id)


@shared_task
def uploads_expire_task() -> int:
    return uploads_expire()
