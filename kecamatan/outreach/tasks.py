"""Outreach's Celery tasks: thin shells around reminders.py, outbox.py and plan.py (the morning's
forecasts). The beat tasks queue the day's messages in the outbox; each message is then sent by
a task of its own, which tries again with growing pauses and leaves the row failed after its
last attempt.

Task names keep the `kecamatan.tasks.` prefix the app's other tasks carry."""

import datetime as dt
from functools import partial

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction

from ikd_dashboard.celery import DATABASE_RETRY, KECAMATAN_TASK
from ikd_dashboard.dates import iso_date, today_jakarta
from ikd_dashboard.messaging import SendFailed

from ..models import Region
from ..regions import region_root
from .outbox import MESSAGE_ATTEMPTS, message_send
from .plan import plans_warm
from .reminders import recap_queue, reminders_queue
from .requests import visit_requests_forget
from .selectors import outreach_as_of


class _SendTask(Task):
    """In-process (no broker: `make run`, the tests), Celery runs a retry at once, but only if
    the Retry is not raised at whoever queued the message (CELERY_TASK_EAGER_PROPAGATES): let
    Celery catch it and run the next attempt, and still raise any other error."""

    def apply(self, *args, **kwargs):
        propagate = kwargs.pop("throw", None)
        result = super().apply(*args, throw=False, **kwargs)
        if self.app.either("task_eager_propagates", propagate):
            result.get(disable_sync_subtasks=False)  # raises only if the last attempt erred
        return result


# 2, 4, 8 and 16 minutes between the 5 attempts: a gateway whose phone lost its signal for half
# an hour still delivers; after longer, an Admin sees the message failed and sends it again.
@shared_task(
    name=KECAMATAN_TASK.format("message_send_task"),
    base=_SendTask,
    bind=True,
    autoretry_for=(SendFailed, OperationalError, InterfaceError),
    retry_backoff=120,
    retry_backoff_max=1800,
    retry_jitter=False,
    max_retries=MESSAGE_ATTEMPTS - 1,
)
def message_send_task(self, message_id: int) -> bool:
    last = self.request.retries >= self.max_retries
    return message_send(message_id=message_id, last_attempt=last)


def messages_send_after_commit(message_ids: list[int]) -> None:
    """Send each message once the rows that hold them are committed."""
    for message_id in message_ids:
        transaction.on_commit(partial(message_send_task.delay, message_id))


# "The day before" is the calendar day before, weekends included: a Monday visit is reminded
# of on Sunday afternoon. Officers read WhatsApp on Sunday, and a Friday reminder would come
# before plans made or changed over the weekend (and before any holiday in between).
@shared_task(name=KECAMATAN_TASK.format("visit_reminders_task"), **DATABASE_RETRY)
def visit_reminders_task(day: str | None = None) -> int:
    """Beat, each afternoon: remind the officers of tomorrow's planned visits (or `day`'s)."""
    message_ids = reminders_queue(day=iso_date(day) or today_jakarta() + dt.timedelta(days=1))
    messages_send_after_commit(message_ids)
    return len(message_ids)


@shared_task(name=KECAMATAN_TASK.format("outreach_recap_task"), **DATABASE_RETRY)
def outreach_recap_task(day: str | None = None) -> int | None:
    """Beat, each morning: yesterday's recap (or `day`'s) to the office's WhatsApp group."""
    message_id = recap_queue(day=iso_date(day) or today_jakarta() - dt.timedelta(days=1))
    messages_send_after_commit([message_id] if message_id else [])
    return message_id


@shared_task(name=KECAMATAN_TASK.format("plans_warm_task"), **DATABASE_RETRY)
def plans_warm_task() -> int:
    """Beat, each morning after the night's recompute: the real team's plan for the kabupaten
    and each kecamatan, so that each dashboard shows its forecast beside the straight line."""
    root = region_root()
    if root is None:
        return 0
    regions = [root, *Region.objects.filter(parent=root).order_by("code")]
    return plans_warm(regions, outreach_as_of())


@shared_task(name=KECAMATAN_TASK.format("visit_requests_forget_task"), **DATABASE_RETRY)
def visit_requests_forget_task() -> int:
    """Beat, each night: requesters' names and contacts are not kept past a year."""
    return visit_requests_forget()
