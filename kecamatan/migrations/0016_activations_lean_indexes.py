"""The activation table keeps only the indexes something reads, and no foreign-key triggers.

A million-row import pays for every index and every foreign-key check on each row. Kept: the
primary key, the unique hash (one row per person; the import looks people up by it), and
(region_id, activated_on) for the outreach check, the facts' rebuild and the recap recounts.
Gone, after a search of the code for what would read them:
- the varchar_pattern_ops twins Django makes on PostgreSQL for the hash, region_id and
  segment_id: only LIKE 'prefix%' queries use those, and none is made on these columns;
- region_id alone: (region_id, activated_on) serves a region alone as well;
- segment_id: nothing looks activations up by segment alone (deleting a segment, which the
  app never does, would scan);
- upload_id: the one question asked of it is the last day of rows loaded without an upload
  (progress/datadate.py), now a partial index of those rows, which imports never touch;
- the three foreign-key constraints, whose per-row checks at commit were the largest single
  cost of a big import: the import checks regions and segments against their tables itself,
  and Django's collector still applies on_delete (as for the snapshots, 0006).
"""

import django.db.models.deletion
from django.db import migrations, models

# Django's name for it (PostgreSQL only; AlterField drops the region and segment twins itself).
HASH_LIKE = "kecamatan_activation_nik_hash_d7b136b8_like"


def drop_hash_like(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {HASH_LIKE}")


def restore_hash_like(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {HASH_LIKE} ON kecamatan_activation "
            "(nik_hash varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kecamatan", "0015_institution_rosters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activation",
            name="region",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="kecamatan.region",
                verbose_name="wilayah",
            ),
        ),
        migrations.AlterField(
            model_name="activation",
            name="segment",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="kecamatan.segment",
                verbose_name="segmen",
            ),
        ),
        migrations.AlterField(
            model_name="activation",
            name="upload",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="kecamatan.upload",
                verbose_name="unggahan",
            ),
        ),
        migrations.AddIndex(
            model_name="activation",
            index=models.Index(
                condition=models.Q(("upload__isnull", True)),
                fields=["activated_on"],
                name="activation_loose_day",
            ),
        ),
        migrations.RunPython(drop_hash_like, restore_hash_like),
    ]
