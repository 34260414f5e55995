"""Issue a month's report from the command line, as the monthly schedule does."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.issue import report_issue
from reports.monthly import NoData


class Command(BaseCommand):
    help = "Terbitkan laporan bulanan YYYY-MM (atau revisinya dengan --revisi)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--revisi", action="store_true", help="terbitkan revisi baru")
        parser.add_argument("--alasan", default="", help="alasan revisi")

    def handle(self, *args, month, revisi, alasan, **options):
        try:
            first_day = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise CommandError(f"Bulan {month!r} bukan YYYY-MM.") from None
        try:
            report, issued = report_issue(month=first_day, reason=alasan, revision=revisi)
        except NoData as error:
            raise CommandError(str(error)) from None
        if issued:
            self.stdout.write(f"Laporan {month} revisi {report.revision} diterbitkan.")
        else:
            self.stdout.write(
                f"Laporan {month} sudah diterbitkan (revisi {report.revision}); "
                "pakai --revisi untuk revisi baru."
            )
