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
The daily facts are written by every import now (kecamatan/uploads/merge.py): their region_id
index (both of their indexes lead with it), the _like twins and the foreign-key constraints go
too; they are rebuilt from the activations, whose regions and segments the import checked.
"""

import django.db.models.deletion
from django.db import migrations, models

# Django's names for the twins whose column keeps an index (PostgreSQL only; AlterField drops
# the twins of the columns that lose theirs).
LIKE_TWINS = {
    "kecamatan_activation_nik_hash_d7b136b8_like": ("kecamatan_activation", "nik_hash"),
    "kecamatan_activationdaily_segment_id_3b612e72_like": (
        "kecamatan_activationdaily",
        "segment_id",
    ),
}


def drop_like_twins(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in LIKE_TWINS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_like_twins(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in LIKE_TWINS.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
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
        migrations.AlterField(
            model_name="activationdaily",
            name="region",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="kecamatan.region",
            ),
        ),
        migrations.AlterField(
            model_name="activationdaily",
            name="segment",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="kecamatan.segment",
            ),
        ),
        migrations.RunPython(drop_like_twins, restore_like_twins),
    ]
