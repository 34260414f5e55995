"""The region tree: loading a Kemendagri CSV and the closure table that rolls figures up."""

from kecamatan.models import Region, RegionClosure
from kecamatan.regions import regions_load_csv


def test_loading_sukoharjo_builds_the_tree_and_every_ancestor_link(db):
    assert regions_load_csv() == 180
    desa = Region.objects.get(code="33.11.04.1001")
    assert (desa.name, desa.level, desa.parent_id, desa.depth) == (
        "Kenep",
        "kelurahan",
        "33.11.04",
        4,
    )
    assert Region.objects.get(code="33.11").name == "Sukoharjo"  # "Kabupaten" is the level
    ancestors = set(
        RegionClosure.objects.filter(descendant_id="33.11.04.1001").values_list(
            "ancestor_id", "distance"
        )
    )
    assert ancestors == {("33.11.04.1001", 0), ("33.11.04", 1), ("33.11", 2)}
    # Every region under the kabupaten, and the kabupaten itself.
    assert RegionClosure.objects.filter(ancestor_id="33.11").count() == 180


def test_loading_twice_changes_nothing(db):
    regions_load_csv()
    links = RegionClosure.objects.count()
    regions_load_csv()
    assert Region.objects.count() == 180
    assert RegionClosure.objects.count() == links


def test_display_names_read_naturally(db):
    regions_load_csv()
    assert Region.objects.get(code="33.11").display_name == "Kabupaten Sukoharjo"
    assert Region.objects.get(code="33.11.01").display_name == "Kecamatan Weru"
    assert Region.objects.get(code="33.11.04.1001").display_name == "Kelurahan Kenep"


def test_in_english_the_level_follows_the_name(db):
    from django.utils import translation

    regions_load_csv()
    with translation.override("en"):
        assert Region.objects.get(code="33.11").display_name == "Sukoharjo Regency"
        assert Region.objects.get(code="33.11.01").display_name == "Weru District"
