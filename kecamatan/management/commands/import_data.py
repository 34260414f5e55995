"""Import an aktivasi, rekap, pemilik_ktp, roster or peringkat file from the command line, like
the upload page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kecamatan.models import Upload
from kecamatan.progress.tasks import recompute_after_import_task
from kecamatan.uploads.readers import title_rows_skipped
from kecamatan.uploads.service import upload_changed_figures, upload_create, upload_run
from kecamatan.uploads.validate import KINDS


class Command(BaseCommand):
    help = (
        "Impor berkas aktivasi, rekap, pemilik_ktp, roster (daftar anggota instansi) atau "
        "peringkat (angka kabupaten/kota se-provinsi atau nasional), CSV/XLSX. Keluar 0 bila "
        "berhasil."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tidak ada yang disimpan"
        )

    def handle(self, *args, kind, file, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        upload = upload_create(kind=kind, path=file, file_name=file.name, owns_file=False)
        if upload.status == Upload.Status.DUPLICATE:
            self.stdout.write(upload.message)
            return
        report = upload_run(upload=upload, dry_run=dry_run, path=file)
        if upload_changed_figures(upload):
            # Eager on the embedded default (runs now); queued for the worker with a broker.
            transaction.on_commit(lambda: recompute_after_import_task.delay(upload.pk))
        if dry_run:
            upload.delete()  # a check from the command line imported nothing: no history entry
        if kind == "roster":  # members join, stay on or leave their institution's list
            counts = (
                f"Dibaca {report.rows_read}, anggota baru {report.rows_added}, sudah di daftar "
                f"{report.rows_known}, keluar dari daftar {report.rows_replaced}, ganda dalam "
                f"berkas {report.duplicates_in_file}, ditolak {report.rows_rejected}; "
                f"{len(report.institutions)} instansi."
            )
        else:
            counts = (
                f"Dibaca {report.rows_read}, ditambahkan {report.rows_added}, sudah tercatat "
                f"{report.rows_known}, diganti {report.rows_replaced}, ganda dalam berkas "
                f"{report.duplicates_in_file}, konflik tanggal {report.date_conflicts}, ditolak "
                f"{report.rows_rejected}."
            )
        if kind == "peringkat" and report.message and report.ok:
            counts = f"{report.message} {counts}"
        if report.title_rows:
            counts = f"{title_rows_skipped(report.title_rows)}. {counts}"
        self.stdout.write(counts + (" (uji coba: tidak ada yang disimpan)" if dry_run else ""))
        if not report.ok:
            for error in report.errors:
                where = f"baris {error.line}" + (f", kolom {error.column}" if error.column else "")
                value = f" [{error.value}]" if error.value else ""
                self.stderr.write(f"  {where}{value}: {error.message}")
            if report.error_count > len(report.errors):
                self.stderr.write(f"  … dan {report.error_count - len(report.errors)} lainnya.")
            raise CommandError(report.message)
