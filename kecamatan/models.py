"""Regions, segments, KTP-holder counts, activations, targets and progress snapshots."""

from django.db import models
from django.db.models import Q
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
        return f"{self.get_level_display().split('/')[0]} {self.name}"


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


class Segment(models.Model):
    """A group of KTP holders the office tracks separately (ASN, TNI, pelajar, masyarakat umum…)."""

    code = models.SlugField(_("kode"), max_length=20, primary_key=True)
    name = models.CharField(_("nama"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("segmen")
        verbose_name_plural = _("segmen")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class KtpHolderCount(models.Model):
    """How many people in a region and segment hold a KTP-el, valid from a date (DKB semester)."""

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT)
    segment = models.ForeignKey(Segment, verbose_name=_("segmen"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("berlaku sejak"))
    holders = models.PositiveIntegerField(_("jumlah pemilik KTP-el"))

    class Meta:
        verbose_name = _("jumlah pemilik KTP-el")
        verbose_name_plural = _("jumlah pemilik KTP-el")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "segment", "valid_from"], name="holder_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.region_id} {self.segment_id} {self.valid_from}: {self.holders}"


class Activation(models.Model):
    """One person who activated IKD. The NIK is kept only as a keyed hash (see kecamatan.nik)."""

    class Place(models.TextChoices):
        DINAS = "dinas", _("Kantor Dispendukcapil")
        KECAMATAN = "kecamatan", _("Kantor kecamatan")
        DESA = "desa", _("Balai desa / kantor kelurahan")
        SEKOLAH = "sekolah", _("Sekolah")
        PASAR = "pasar", _("Pasar")
        INSTANSI = "instansi", _("Instansi pemerintah")
        MANDIRI = "mandiri", _("Mandiri")
        LAINNYA = "lainnya", _("Lainnya")

    nik_hash = models.CharField(_("hash NIK"), max_length=64, unique=True)
    activated_on = models.DateField(_("tanggal aktivasi"))
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT)
    segment = models.ForeignKey(Segment, verbose_name=_("segmen"), on_delete=models.PROTECT)
    place = models.CharField(_("tempat"), max_length=10, choices=Place.choices, default="lainnya")
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("aktivasi")
        verbose_name_plural = _("aktivasi")
        indexes = [models.Index(fields=["region", "activated_on"])]

    def __str__(self):
        return f"{self.nik_hash[:12]}… {self.activated_on}"


class Target(models.Model):
    """A dated version of the central government's target, optionally for one segment.

    The version in force on a date is the latest one whose `valid_from` is on or before it.
    """

    percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("berlaku sejak"))
    deadline = models.DateField(_("tenggat"))
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segmen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Kosongkan untuk target semua segmen."),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from"], condition=Q(segment__isnull=True), name="target_all_unique"
            ),
            models.UniqueConstraint(
                fields=["segment", "valid_from"],
                condition=Q(segment__isnull=False),
                name="target_segment_unique",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="target_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.percent}% s.d. {self.deadline} (sejak {self.valid_from})"


class ProgressSnapshot(models.Model):
    """The figures of one region (and one segment, or all when segment is null) as of a date.

    Written only by `kecamatan.progress.progress_recompute`, a whole date at a time.
    """

    as_of = models.DateField(_("per tanggal"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="snapshots")
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.CASCADE)
    holders = models.PositiveIntegerField()
    activated = models.PositiveIntegerField()
    activated_30d = models.PositiveIntegerField()
    percent = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    target_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    target_deadline = models.DateField(null=True)
    target_people = models.PositiveIntegerField(null=True)
    gap_people = models.PositiveIntegerField(null=True)
    pace_30d_per_day = models.DecimalField(max_digits=12, decimal_places=2)
    needed_per_day = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    needed_per_month = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    projected_date = models.DateField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "region"],
                condition=Q(segment__isnull=True),
                name="snapshot_all_unique",
            ),
            models.UniqueConstraint(
                fields=["as_of", "region", "segment"],
                condition=Q(segment__isnull=False),
                name="snapshot_segment_unique",
            ),
        ]
        indexes = [models.Index(fields=["region", "as_of"])]

    def __str__(self):
        return f"{self.as_of} {self.region_id} {self.segment_id or 'semua'}"
