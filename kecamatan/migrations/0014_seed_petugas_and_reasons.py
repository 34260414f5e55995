"""Seed the Petugas role and the reasons people fail to activate (from the domain notes)."""

from django.db import migrations

# (code, name, retryable): retryable ones a second visit can solve (bring a phone, make an
# email, come back with signal); final ones it cannot (no phone at all, refusal).
REASONS = [
    ("tanpa_hp", "Tidak punya ponsel pintar", False),
    ("hp_tidak_didukung", "Ponsel tidak didukung (Android < 7.1)", True),
    ("tanpa_email", "Tidak punya alamat email", True),
    ("tanpa_nomor_hp", "Tidak punya nomor ponsel", True),
    ("tanpa_sinyal", "Tidak ada sinyal / internet", True),
    ("wajah_gagal", "Verifikasi wajah gagal", True),
    ("data_tidak_cocok", "Data tidak cocok", True),
    ("akun_perangkat_lain", "Akun sudah dipakai di perangkat lain", True),
    ("biometrik_belum", "Biometrik belum direkam", True),
    ("menolak", "Menolak / khawatir data diretas", False),
    ("lainnya", "Lainnya", False),
]
PETUGAS = "Petugas"


def seed(apps, schema_editor):
    """Adds what is missing; an Admin's later edits of a reason are left as they are."""
    FailureReason = apps.get_model("kecamatan", "FailureReason")
    Group = apps.get_model("auth", "Group")
    for order, (code, name, retryable) in enumerate(REASONS, start=1):
        FailureReason.objects.get_or_create(
            code=code, defaults={"name": name, "retryable": retryable, "sort_order": order}
        )
    Group.objects.get_or_create(name=PETUGAS)


class Migration(migrations.Migration):
    dependencies = [("kecamatan", "0013_outreach_visits")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
