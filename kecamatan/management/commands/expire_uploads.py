"""Cancel upload previews nobody confirmed within a day and delete their files."""

import datetime as dt

from django.core.management.base import BaseCommand

from kecamatan.uploads.cleanup import uploads_expire


class Command(BaseCommand):
    help = "Batalkan pratinjau unggahan yang tidak dikonfirmasi dan hapus berkasnya."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours, **options):
        expired = uploads_expire(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"{expired} unggahan kedaluwarsa.")
