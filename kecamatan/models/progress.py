"""Targets and their change log, recompute runs, progress snapshots, official figures."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .activations import Basis, Segment
from .regions import Region


class Target(models.Model):
    """A dated version of the central government's target, for all or one region or segment.

    In each scope (region or all, segment or all) the version in force on a date is the latest
    one whose `valid_from` is on or before it; the most specific scope wins (kecamatan/progress.py).
    """

    Denominator = Basis  # the counts (KtpHolderCount.basis) every figure on a date is of

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
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Kosongkan untuk semua wilayah; berlaku juga untuk wilayah di bawahnya."),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    # Where the target comes from and what its percentage is of, for the report's footnote.
    source_letter = models.CharField(
        _("nomor surat"),
        max_length=120,
        blank=True,
        help_text=_("Nomor surat atau edaran yang menetapkan target, mis. dari Ditjen Dukcapil."),
    )
    source_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    denominator = models.CharField(
        _("penyebut"),
        max_length=12,
        choices=Denominator.choices,
        default=Basis.PEREKAMAN,
        help_text=_(
            "Setiap persentase pada tanggal berlakunya dihitung dari jumlah ini: unggah jumlahnya "
            "(berkas pemilik KTP, kolom dasar)."
        ),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["-valid_from"]
        constraints = [
            # One version per scope and date.
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(segment__isnull=True, region__isnull=True),
                name="target_all_unique",
            ),
            models.UniqueConstraint(
                fields=["segment", "valid_from"],
                condition=Q(segment__isnull=False, region__isnull=True),
                name="target_segment_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "valid_from"],
                condition=Q(segment__isnull=True, region__isnull=False),
                name="target_region_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "segment", "valid_from"],
                condition=Q(segment__isnull=False, region__isnull=False),
                name="target_region_segment_unique",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="target_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("valid_from")), name="target_deadline_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.percent}% s.d. {self.deadline} (sejak {self.valid_from})"

    def describe(self) -> str:
        """One line for the change log: what this version says and where it applies."""
        return (
            f"{Decimal(self.percent).normalize():f}% s.d. {self.deadline:%d/%m/%Y}, berlaku sejak "
            f"{self.valid_from:%d/%m/%Y}; wilayah: {self.region_id or 'semua'}; "
            f"segmen: {self.segment_id or 'semua'}; penyebut: {self.denominator}"
            + (f"; surat {self.source_letter}" if self.source_letter else "")
            + (f" tanggal {self.source_date:%d/%m/%Y}" if self.source_date else "")
            + (f"; {self.note}" if self.note else "")
        )


class TargetChange(models.Model):
    """Who changed which target version, when, and what it said before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("dibuat")
        UPDATE = "update", _("diubah")
        DELETE = "delete", _("dihapus")

    target = models.ForeignKey(Target, null=True, on_delete=models.SET_NULL, related_name="changes")
    action = models.CharField(_("tindakan"), max_length=6, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(_("waktu"), default=timezone.now)
    before = models.TextField(_("sebelum"), blank=True)
    after = models.TextField(_("sesudah"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.action} {self.after or self.before}"


class RecomputeRun(models.Model):
    """One run of the progress recompute (nightly, after an import, or by hand)."""

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", _("Malam")
        IMPORT = "import", _("Setelah impor")
        MANUAL = "manual", _("Manual")

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        SUCCESS = "success", _("Berhasil")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Dilewati")

    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    as_of = models.DateField(_("per tanggal"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # True while running, NULL after: the unique index lets only one run hold it at a time.
    lock = models.BooleanField(null=True, unique=True, editable=False)
    units = models.JSONField(_("unit (kabupaten)"), default=list, blank=True)
    units_done = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(_("baris ditulis"), default=0)
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    message = models.TextField(_("keterangan"), blank=True)
    # Kecamatan whose data already ran past `as_of` when the run started ({code, name, through}):
    # the pages name them without a query of their own (progress/datadate.py).
    ahead = models.JSONField(default=list, blank=True)
    # "Data lengkap s.d." when the run started. It can move back (a kecamatan's first file ends
    # earlier; data arrives after a KTP-holder file alone dated a run today): pages then show no
    # run dated after the newest run's data date (progress.runs.recompute_status).
    data_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.as_of} {self.get_status_display()}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class OfficialFigure(models.Model):
    """A figure the office received from the province or Ditjen Dukcapil, to reconcile."""

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT)
    as_of = models.DateField(_("per tanggal"))
    activated = models.PositiveIntegerField(_("jumlah aktivasi (resmi)"))
    holders = models.PositiveIntegerField(_("pemilik KTP-el (resmi)"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=100, default="Ditjen Dukcapil")
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    entered_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("angka resmi")
        verbose_name_plural = _("angka resmi")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["region", "as_of", "source"], name="official_unique")
        ]

    def __str__(self):
        return f"{self.region_id} {self.as_of} {self.source}: {self.activated}"


class ProgressSnapshot(models.Model):
    """The figures of one region (and one segment, or all when segment is null) as of a date.

    Written only by `kecamatan.progress.runs.progress_recompute`, a whole date at a time.
    """

    as_of = models.DateField(_("per tanggal"))
    # Derived rows written only by the recompute, a million a night nationally: no database-level
    # foreign-key checks (Django still cascades deletes), and no index of their own — every read
    # goes through (as_of, region[, segment]), and each index costs each write.
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_constraint=False,
        db_index=False,
    )
    segment = models.ForeignKey(
        Segment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
    )
    holders = models.PositiveIntegerField()
    activated = models.PositiveIntegerField()
    activated_30d = models.PositiveIntegerField()
    activated_7d = models.PositiveIntegerField(default=0)
    # Ratios kept to 12 decimals and rounded once, where shown (kecamatan/formulas.py).
    percent = models.DecimalField(
        max_digits=19, decimal_places=12, null=True
    )  # > 100% when data disagree
    target_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    target_deadline = models.DateField(null=True)
    target_valid_from = models.DateField(null=True)
    target_people = models.PositiveIntegerField(null=True)
    gap_people = models.PositiveIntegerField(null=True)
    pace_30d_per_day = models.DecimalField(max_digits=24, decimal_places=12)
    pace_7d_per_day = models.DecimalField(max_digits=24, decimal_places=12, default=0)
    needed_per_day = models.DecimalField(max_digits=24, decimal_places=12, null=True)
    needed_per_month = models.DecimalField(max_digits=24, decimal_places=12, null=True)
    needed_per_working_day = models.DecimalField(max_digits=24, decimal_places=12, null=True)
    # The straight trajectory: activated when the target started, and where it says we should be.
    start_level = models.PositiveIntegerField(null=True)
    milestone_people = models.PositiveIntegerField(null=True)
    projected_date = models.DateField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "region"],
                condition=Q(segment__isnull=True),
                name="snapshot_all_unique",
            ),
            # Over every row (NULLs never collide, so the partial one above guards "all"): the
            # one index every reader and the per-unit delete go through, as (as_of, region[,
            # segment]) — a page's "this region or the all-segment rows of its children" too.
            models.UniqueConstraint(fields=["as_of", "region", "segment"], name="snapshot_unique"),
        ]

    def __str__(self):
        return f"{self.as_of} {self.region_id} {self.segment_id or 'semua'}"
