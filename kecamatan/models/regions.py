"""The region tree (Kemendagri codes), its closure table and the outlines for the map."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One node of the Kemendagri region tree, keyed by its code (`33.11.04.1001`)."""

    class Level(models.TextChoices):
        NASIONAL = "nasional", _("Nasional")
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    # Depth in the tree; desa and kelurahan share the lowest one.
    DEPTHS = {
        "nasional": 0,
        "provinsi": 1,
        "kabupaten": 2,
        "kecamatan": 3,
        "desa": 4,
        "kelurahan": 4,
    }

    code = models.CharField(_("kode"), max_length=20, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    depth = models.PositiveSmallIntegerField(_("kedalaman"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        """`Kecamatan Weru`, `Desa Karanganyar`; a `Kota …` name stands as it is."""
        if self.name.startswith("Kota "):
            return self.name
        level = self.get_level_display().split("/")[0]
        # "Kecamatan Weru" in Indonesian, "Weru District" in English.
        return f"{self.name} {level}" if get_language() == "en" else f"{level} {self.name}"


class RegionClosure(models.Model):
    """Every (ancestor, descendant) pair of the region tree, itself included at depth 0.

    Rolling activations up to every level is then one join and one GROUP BY.
    Rebuilt by `kecamatan.regions.region_closure_rebuild` whenever regions are loaded.
    """

    ancestor = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="descendant_links")
    descendant = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="ancestor_links")
    distance = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="region_closure_unique")
        ]
        indexes = [models.Index(fields=["descendant", "ancestor"])]

    def __str__(self):
        return f"{self.ancestor_id} ⊇ {self.descendant_id}"


class RegionBoundary(models.Model):
    """A region's outline for the map, from a GeoJSON file an admin loaded (load_boundaries)."""

    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    # A GeoJSON Polygon or MultiPolygon in longitude/latitude, simplified for drawing.
    geometry = models.JSONField()
    source = models.CharField(_("sumber"), max_length=200)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now=True)

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self):
        return str(self.region_id)
