"""Load region outlines for the map from a GeoJSON file (Kemendagri or BPS codes)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kecamatan.boundaries import CODE_PROPERTIES, boundaries_load


class Command(BaseCommand):
    help = (
        "Muat batas wilayah untuk peta dari GeoJSON. Kode Kemendagri (33.11.01) atau BPS "
        "(3311010); poligon desa digabung menjadi kecamatan bila kecamatannya tidak ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--property",
            dest="code_property",
            help=f"properti yang memuat kode (bawaan: yang pertama ada dari {CODE_PROPERTIES})",
        )
        parser.add_argument(
            "--codes",
            choices=["auto", "kemendagri", "bps"],
            default="auto",
            help="jenis kode pada berkas (bawaan: dikenali sendiri)",
        )
        parser.add_argument(
            "--from-desa",
            action="store_true",
            help="gambar kecamatan dari poligon desanya meski berkas memuat batas kecamatan",
        )

    def handle(self, *args, file, code_property, codes, from_desa, **options):
        report = boundaries_load(
            file, code_property=code_property, scheme=codes, kecamatan_from_desa=from_desa
        )
        if not report.ok:
            shown = report.errors[:20]
            more = len(report.errors) - len(shown)
            lines = [*shown, *([f"… dan {more} kesalahan lain."] if more else [])]
            raise CommandError("Tidak ada yang dimuat:\n" + "\n".join(lines))
        loaded = ", ".join(f"{n} {level}" for level, n in sorted(report.loaded.items()))
        self.stdout.write(
            f"Batas dimuat: {loaded}; {report.dissolved} kecamatan dari poligon desa."
        )
