"""The monthly report on a schedule (Celery beat, 1st of the month at 06:00 WIB)."""

from celery import shared_task

from ikd_dashboard.dates import previous_month, today_jakarta

from .issue import report_issue_with_camats


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def issue_monthly_report_task() -> str:
    """Issue last month's report unless it already is: running twice issues it once. Each
    kecamatan with a camat (an active Pimpinan limited to it) gets its own, emailed to them."""
    month = previous_month(today_jakarta())
    issued = report_issue_with_camats(month=month)
    return "; ".join(f"{r} {'issued' if new else 'already issued'}" for r, new in issued)
