"""Load or update regions from a `kode,nama,tingkat,penduduk` CSV (default: Sukoharjo)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from kecamatan.regions import SUKOHARJO_CSV, regions_load_csv


class Command(BaseCommand):
    help = "Muat wilayah (kode Kemendagri) dari berkas CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=SUKOHARJO_CSV)

    def handle(self, *args, file, **options):
        self.stdout.write(f"{regions_load_csv(path=file)} wilayah dimuat.")
