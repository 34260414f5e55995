"""The region tree: loading Kemendagri codes and names, and keeping the closure table in step."""

import csv
import re
from pathlib import Path

from django.db import connection, transaction

from ikd_dashboard.links import link

from .models import Region, RegionClosure
from .pagecache import pages_changed

SUKOHARJO_CSV = Path(__file__).parent / "fixtures" / "wilayah-sukoharjo.csv"


def code_with_dots(code: str) -> str:
    """`331109` → `33.11.09`, `3311092001` → `33.11.09.2001`: Kemendagri codes as exports often
    write them; anything else is returned as it is."""
    code = code.strip()
    if re.fullmatch(r"\d{4}(\d{2}(\d{4})?)?", code):
        return ".".join(filter(None, [code[:2], code[2:4], code[4:6], code[6:]]))
    return code


def region_parent_code(code: str) -> str | None:
    """`33.11.04.1001` → `33.11.04`; a province code has no parent."""
    return code.rsplit(".", 1)[0] if "." in code else None


def region_plain_name(name: str) -> str:
    """`Kabupaten Sukoharjo` → `Sukoharjo`: the level is kept apart, as the API shows it."""
    name = name.strip()
    for prefix in ("Kabupaten ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def regions_load_csv(*, path: Path = SUKOHARJO_CSV) -> int:
    """Insert or update the regions of a `kode,nama,tingkat,penduduk` file; returns rows read.

    A parent that is not in the file must already be in the database.
    """
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    regions = []
    for row in rows:
        code, level = row["kode"].strip(), row["tingkat"].strip().lower()
        regions.append(
            Region(
                code=code,
                name=region_plain_name(row["nama"]),
                level=level,
                depth=Region.DEPTHS[level],
                parent_id=region_parent_code(code) if level != "provinsi" else None,
                population=int(row["penduduk"]) if row.get("penduduk") else None,
            )
        )
    known = set(Region.objects.values_list("code", flat=True)) | {r.code for r in regions}
    for region in regions:
        # The top of a file (a kabupaten without its province, say) becomes a root of the tree.
        if region.parent_id not in known:
            region.parent_id = None
    with transaction.atomic():
        Region.objects.bulk_create(
            sorted(regions, key=lambda r: r.depth),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "depth", "parent", "population"],
        )
        region_closure_rebuild()
    pages_changed()  # bulk_create sends no signal
    return len(rows)


def region_closure_rebuild() -> None:
    """Recompute every (ancestor, descendant) pair from the parent links, in one statement."""
    with transaction.atomic():
        RegionClosure.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH RECURSIVE tree(ancestor_id, descendant_id, distance) AS (
                    SELECT code, code, 0 FROM kecamatan_region
                    UNION ALL
                    SELECT tree.ancestor_id, r.code, tree.distance + 1
                    FROM tree JOIN kecamatan_region r ON r.parent_id = tree.descendant_id
                )
                INSERT INTO kecamatan_regionclosure (ancestor_id, descendant_id, distance)
                SELECT ancestor_id, descendant_id, distance FROM tree
                """
            )


def region_root() -> Region | None:
    """The top of the tree the office works on (the kabupaten for Sukoharjo)."""
    return Region.objects.filter(parent=None).order_by("depth", "code").first()


def region_url(code: str) -> str:
    """A region page's address (reversed once: a page links to each child twice)."""
    return link("region", code)
