"""The desa's per-segment snapshots are no longer written or read (progress.compute.LEAF_DEPTH):
the ones earlier runs left are removed, so the table holds what the recompute writes."""

from django.db import migrations

LEAF_DEPTH = 4  # desa and kelurahan, as Region.DEPTHS says today


def forward(apps, schema_editor):
    ProgressSnapshot = apps.get_model("kecamatan", "ProgressSnapshot")
    Region = apps.get_model("kecamatan", "Region")
    ProgressSnapshot.objects.filter(
        segment__isnull=False,
        region_id__in=Region.objects.filter(depth=LEAF_DEPTH).values("code"),
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kecamatan", "0018_facts_no_segment_index"),
    ]

    # Nothing to put back: a run of the date writes what the pages read.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
