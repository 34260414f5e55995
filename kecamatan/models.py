"""Regions, segments, KTP-holder counts, activations, targets and progress snapshots."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
    upload = models.ForeignKey(
        "Upload",
        verbose_name=_("unggahan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("aktivasi")
        verbose_name_plural = _("aktivasi")
        indexes = [models.Index(fields=["region", "activated_on"])]

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


class Upload(models.Model):
    """One file an admin uploaded (or imported from the command line), and what came of it."""

    class Kind(models.TextChoices):
        AKTIVASI = "aktivasi", _("Aktivasi per NIK")
        REKAP = "rekap", _("Rekap harian per kecamatan")
        PEMILIK_KTP = "pemilik_ktp", _("Pemilik KTP-el")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Sedang diperiksa")
        CHECKED = "checked", _("Siap diimpor")
        QUEUED = "queued", _("Menunggu impor")
        IMPORTING = "importing", _("Sedang diimpor")
        IMPORTED = "imported", _("Berhasil diimpor")
        REJECTED = "rejected", _("Ditolak")
        DUPLICATE = "duplicate", _("Sudah pernah diunggah")
        CANCELLED = "cancelled", _("Dibatalkan")
        FAILED = "failed", _("Gagal")

    FINAL = {"imported", "rejected", "duplicate", "cancelled", "failed"}

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    # Where the uploaded file waits between preview and import; emptied once it is done with.
    stored_path = models.CharField(max_length=500, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    rows_added = models.PositiveIntegerField(_("baris ditambahkan"), default=0)
    rows_known = models.PositiveIntegerField(_("sudah tercatat"), default=0)
    rows_replaced = models.PositiveIntegerField(_("diganti"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    duplicates_in_file = models.PositiveIntegerField(_("ganda dalam berkas"), default=0)
    date_conflicts = models.PositiveIntegerField(_("konflik tanggal"), default=0)
    errors = models.JSONField(_("laporan kesalahan"), default=list, blank=True)
    # The regions whose figures the import changed, for the recompute that follows it.
    touched_regions = models.JSONField(default=list, blank=True)
    message = models.TextField(_("keterangan"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unggahan")
        verbose_name_plural = _("unggahan")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class Target(models.Model):
    """A dated version of the central government's target, for all or one region or segment.

    In each scope (region or all, segment or all) the version in force on a date is the latest
    one whose `valid_from` is on or before it; the most specific scope wins (kecamatan/progress.py).
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
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Kosongkan untuk semua wilayah; berlaku juga untuk wilayah di bawahnya."),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

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
            f"segmen: {self.segment_id or 'semua'}" + (f"; {self.note}" if self.note else "")
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


class ActivationDaily(models.Model):
    """Daily facts: people counted per region, segment and day — named activations, plus recap
    totals above the names booked on the kecamatan. History and trends read these."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "segment", "day"], name="daily_unique")
        ]
        indexes = [models.Index(fields=["region", "day"], name="daily_region_day")]

    def __str__(self):
        return f"{self.day} {self.region_id} {self.segment_id}: {self.people}"


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

    Written only by `kecamatan.progress.progress_recompute`, a whole date at a time.
    """

    as_of = models.DateField(_("per tanggal"))
    # Derived rows written only by the recompute, a million a night nationally: no database-level
    # foreign-key checks (Django still cascades deletes), and no index of their own — every read
    # goes through (as_of, region[, segment]) or (region, as_of), and each index costs each write.
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
    percent = models.DecimalField(
        max_digits=9, decimal_places=2, null=True
    )  # > 100% when data disagree
    target_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    target_deadline = models.DateField(null=True)
    target_valid_from = models.DateField(null=True)
    target_people = models.PositiveIntegerField(null=True)
    gap_people = models.PositiveIntegerField(null=True)
    pace_30d_per_day = models.DecimalField(max_digits=12, decimal_places=2)
    pace_7d_per_day = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    needed_per_day = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    needed_per_month = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    needed_per_working_day = models.DecimalField(max_digits=12, decimal_places=2, null=True)
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
            models.UniqueConstraint(
                fields=["as_of", "region", "segment"],
                condition=Q(segment__isnull=False),
                name="snapshot_segment_unique",
            ),
        ]
        indexes = [models.Index(fields=["region", "as_of"])]

    def __str__(self):
        return f"{self.as_of} {self.region_id} {self.segment_id or 'semua'}"


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


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Jejak audit tidak dapat diubah.")

    def delete(self):
        raise PermissionError("Jejak audit tidak dapat dihapus.")


class AuditEvent(models.Model):
    """Who did what, when, from where. Append-only from the application: no update, no delete
    (a database role without UPDATE/DELETE on this table makes it so below the app too)."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOCKED_OUT = "locked_out", _("Akun dikunci")
        LOGOUT = "logout", _("Keluar")
        PASSWORD_CHANGE = "password_change", _("Ganti kata sandi")
        UPLOAD = "upload", _("Unggah berkas")
        UPLOAD_IMPORT = "upload_import", _("Impor dikonfirmasi")
        UPLOAD_CANCEL = "upload_cancel", _("Impor dibatalkan")
        TARGET_SAVE = "target_save", _("Target disimpan")
        TARGET_DELETE = "target_delete", _("Target dihapus")
        OFFICIAL_SAVE = "official_save", _("Angka resmi disimpan")
        OFFICIAL_DELETE = "official_delete", _("Angka resmi dihapus")
        RECOMPUTE = "recompute", _("Hitung ulang dimulai")
        REPORT_ISSUE = "report_issue", _("Laporan diterbitkan")
        USER_SAVE = "user_save", _("Pengguna disimpan")
        USER_ROLES = "user_roles", _("Peran pengguna diubah")
        USER_DELETE = "user_delete", _("Pengguna dihapus")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    target = models.CharField(_("objek"), max_length=200, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    client = models.CharField(_("dari alamat"), max_length=64, blank=True)
    request_id = models.CharField(_("id permintaan"), max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Jejak audit tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Jejak audit tidak dapat dihapus.")


class UserRegion(models.Model):
    """A user limited to one region (a kecamatan operator sees only that kecamatan and its
    desa). Users without one see the whole kabupaten."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="scope"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("batas akses wilayah")
        verbose_name_plural = _("batas akses wilayah")

    def __str__(self):
        return f"{self.user_id} → {self.region_id}"
