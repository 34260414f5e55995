"""Load the Sukoharjo demo (regions, holders, activations), the demo users, the past months'
reports, and recompute."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from kecamatan.accounts.users import demo_users_create
from kecamatan.demo import demo_load
from kecamatan.peers.demo import peers_demo_load
from kecamatan.progress.tasks import recompute_progress_task
from reports.demo import demo_reports_issue


class Command(BaseCommand):
    help = "Muat data demo Kabupaten Sukoharjo dan akun demo (staf, pimpinan, admin, petugas)."

    def handle(self, *args, **options):
        counts = demo_load()
        holders, activations, visits, institutions, outlines = (
            f"{n:,}".replace(",", ".") for n in counts.values()
        )
        self.stdout.write(
            f"Demo dimuat: {holders} pemilik KTP-el, {activations} aktivasi, "
            f"{visits} kegiatan jemput bola, {institutions} instansi dengan daftar anggota, "
            f"{outlines} batas wilayah untuk peta."
        )
        # Eager on the embedded default (runs now); queued for the worker when a broker is set.
        transaction.on_commit(recompute_progress_task.delay)
        peers = peers_demo_load()  # after the recompute: our row is the demo's own count
        self.stdout.write(
            f"Tabel peringkat demo (Jawa Tengah dan nasional, angka karangan): {peers} baris."
        )
        passwords = demo_users_create()
        issued = demo_reports_issue(user=User.objects.get(username="admin"))
        self.stdout.write(
            f"Laporan bulanan diterbitkan: {issued} bulan sebelum bulan data terakhir."
        )
        self.stdout.write("Akun demo (kata sandi baru setiap kali load_demo dijalankan):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<9} {password}")
