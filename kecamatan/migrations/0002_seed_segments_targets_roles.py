"""Seed the segments, the two target versions the central government has set, and the roles."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SEGMENTS = [
    ("asn", "ASN"),
    ("pppk", "PPPK"),
    ("bumn", "Pegawai BUMN"),
    ("bumd", "Pegawai BUMD"),
    ("tni", "TNI"),
    ("polri", "Polri"),
    ("dprd_kab", "DPRD Kabupaten"),
    ("dprd_prov", "DPRD Provinsi"),
    ("dpr_ri", "DPR RI"),
    ("pelajar", "Pelajar 17+"),
    ("umum", "Masyarakat umum"),
]

TARGETS = [
    # (percent, valid_from, deadline, note)
    (Decimal("25"), dt.date(2023, 1, 1), dt.date(2024, 12, 31), "Target Ditjen Dukcapil 2024"),
    (Decimal("30"), dt.date(2025, 1, 1), dt.date(2025, 12, 31), "Target Ditjen Dukcapil 2025"),
]

ROLES = ["Staf", "Pimpinan", "Admin"]


def seed(apps, schema_editor):
    Segment = apps.get_model("kecamatan", "Segment")
    Target = apps.get_model("kecamatan", "Target")
    Group = apps.get_model("auth", "Group")
    for order, (code, name) in enumerate(SEGMENTS, start=1):
        Segment.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for percent, valid_from, deadline, note in TARGETS:
        Target.objects.update_or_create(
            segment=None,
            valid_from=valid_from,
            defaults={"percent": percent, "deadline": deadline, "note": note},
        )
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("kecamatan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
