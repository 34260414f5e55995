"""Recompute progress snapshots for a date (default: the date the data runs to)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kecamatan.progress import progress_recompute


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal tidak valid: {value!r} (gunakan YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Hitung ulang capaian IKD semua wilayah dan segmen per tanggal."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=iso_date, help="YYYY-MM-DD; default: tanggal data terakhir"
        )

    def handle(self, *args, as_of=None, **options):
        rows = progress_recompute(as_of=as_of)
        self.stdout.write(f"{rows} baris capaian ditulis.")
