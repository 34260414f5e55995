"""Recompute progress in this process (every kabupaten, then the regions above) for a date."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kecamatan.models import RecomputeRun
from kecamatan.progress.runs import recompute_run


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal tidak valid: {value!r} (gunakan YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Hitung ulang capaian IKD semua wilayah dan segmen per tanggal (di proses ini)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=iso_date, help="YYYY-MM-DD; default: tanggal data terakhir"
        )

    def handle(self, *args, as_of=None, **options):
        run = recompute_run(as_of=as_of)
        if run.status != RecomputeRun.Status.SUCCESS:
            raise CommandError(run.message)
        self.stdout.write(
            f"{run.rows} baris capaian per {run.as_of:%d/%m/%Y} ditulis "
            f"({len(run.units)} unit, {run.duration_seconds:.1f} detik)."
        )
