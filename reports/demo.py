"""The demo's history of reports: every month before the data's last is issued, as the monthly
task would have issued it on the 1st at 06:00 WIB, so the list is not a column of drafts."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from ikd_dashboard.dates import month_start, next_month
from kecamatan.progress.selectors import progress_data_date

from .issue import report_issue
from .models import MonthlyReport, ReportPdf
from .monthly import report_months

JAKARTA = ZoneInfo("Asia/Jakarta")


def demo_reports_issue(*, user=None) -> int:
    """Issue each past month once (the PDF is printed when first downloaded); returns how many."""
    current = month_start(progress_data_date())
    issued = 0
    with transaction.atomic():
        MonthlyReport.objects.all().delete()
        ReportPdf.objects.all().delete()  # printed from an earlier load: printed again
        for month in sorted(m for m in report_months() if m < current):
            report, _created = report_issue(month=month, user=user, deliver=False)
            first = next_month(month)
            report.issued_at = dt.datetime(first.year, first.month, 1, 6, 0, tzinfo=JAKARTA)
            report.save(update_fields=["issued_at"])
            issued += 1
    return issued
