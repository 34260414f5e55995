"""The monthly report on a schedule (Celery beat, 1st of the month at 06:00 WIB)."""

from celery import shared_task

from ikd_dashboard.dates import previous_month, today_jakarta

from .issue import report_camat_regions, report_issue


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def issue_monthly_report_task() -> str:
    """Issue last month's report unless it already is: running twice issues it once. Each
    kecamatan with a camat (an active Pimpinan limited to it) gets its own, emailed to them."""
    month = previous_month(today_jakarta())
    done = []
    for region in [None, *report_camat_regions()]:
        report, issued = report_issue(month=month, region=region)
        done.append(f"{report} {'issued' if issued else 'already issued'}")
    return "; ".join(done)
