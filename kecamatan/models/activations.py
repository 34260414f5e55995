"""Who counts: segments, KTP holders, activations (NIK only as a keyed hash), recaps, facts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Region


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


class Basis(models.TextChoices):
    """What a percentage is of: the count a target is audited against. Offices were audited on
    25% of perekaman KTP-el in 2023 and on 30% of wajib KTP from 2024 in most provinces."""

    PEREKAMAN = "perekaman", _("pemilik KTP-el")
    WAJIB_KTP = "wajib_ktp", _("wajib KTP")
    PENDUDUK = "penduduk", _("penduduk")


class KtpHolderCount(models.Model):
    """How many people in a region and segment make up the denominator on a basis (KTP-el
    recorded, wajib KTP, all residents), valid from a date (DKB semester)."""

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT)
    segment = models.ForeignKey(Segment, verbose_name=_("segmen"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("berlaku sejak"))
    # A default in the database too: rows COPYed in without it (a restore, a benchmark's store)
    # are the office's KTP-el counts, as every count was before bases were kept.
    basis = models.CharField(
        _("dasar"),
        max_length=12,
        choices=Basis.choices,
        default=Basis.PEREKAMAN,
        db_default=Basis.PEREKAMAN,
    )
    holders = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("jumlah pemilik KTP-el")
        verbose_name_plural = _("jumlah pemilik KTP-el")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "segment", "valid_from", "basis"], name="holder_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.region_id} {self.segment_id} {self.valid_from} {self.basis}: {self.holders}"


class Activation(models.Model):
    """One person who activated IKD. The NIK is kept only as a keyed hash (see kecamatan.nik).

    Each index and each foreign-key check is paid on every row of a million-row import, so the
    table keeps only what something reads (migration 0016): the unique hash, (region, date) for
    the outreach check and the facts' rebuild, and the day of rows loaded without an upload.
    Regions, segments and uploads are checked by the import itself (uploads/validate.py)
    instead of a trigger per row; deleting one still follows on_delete (Django's collector),
    as for the snapshots.
    """

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
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        db_index=False,  # the (region, activated_on) index serves a region alone too
        db_constraint=False,
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segmen"),
        on_delete=models.PROTECT,
        db_index=False,  # nothing looks activations up by segment alone
        db_constraint=False,
    )
    place = models.CharField(_("tempat"), max_length=10, choices=Place.choices, default="lainnya")
    upload = models.ForeignKey(
        "Upload",
        verbose_name=_("unggahan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # see loose_day below: the one question asked of it
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("aktivasi")
        verbose_name_plural = _("aktivasi")
        indexes = [
            models.Index(fields=["region", "activated_on"]),
            # The data date asks for the last day of activations loaded without an upload
            # (progress/datadate.py): an index of those rows only, which imports never touch.
            models.Index(
                fields=["activated_on"],
                condition=models.Q(upload__isnull=True),
                name="activation_loose_day",
            ),
        ]

    def __str__(self):
        return f"{self.nik_hash[:12]}… {self.activated_on}"


class ActivationRecap(models.Model):
    """A daily total of activations for a kecamatan and segment, where names are not known.

    Counted as a floor: for a (kecamatan, day, segment) the people counted are the named
    activations in it, or the recap total when that is larger (docs/data-formats.md).
    """

    day = models.DateField(_("tanggal"))
    region = models.ForeignKey(Region, verbose_name=_("kecamatan"), on_delete=models.PROTECT)
    segment = models.ForeignKey(Segment, verbose_name=_("segmen"), on_delete=models.PROTECT)
    total = models.PositiveIntegerField(_("jumlah"))
    upload = models.ForeignKey(
        "Upload",
        verbose_name=_("unggahan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rekap aktivasi")
        verbose_name_plural = _("rekap aktivasi")
        constraints = [
            models.UniqueConstraint(fields=["day", "region", "segment"], name="recap_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.region_id} {self.segment_id}: {self.total}"


class ActivationDaily(models.Model):
    """Daily facts: people counted per region, segment and day — named activations, plus recap
    totals above the names booked on the kecamatan. History and trends read these."""

    # Written by every import now (uploads/merge.py): no trigger per row, and no index on the
    # region alone, which both indexes below lead with (migration 0016), nor on the segment,
    # which no query reads the facts by without a region (0018).
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "segment", "day"], name="daily_unique")
        ]
        indexes = [models.Index(fields=["region", "day"], name="daily_region_day")]

    def __str__(self):
        return f"{self.day} {self.region_id} {self.segment_id}: {self.people}"
