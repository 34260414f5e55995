"""An uploaded file and what came of it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    """One file an admin uploaded (or imported from the command line), and what came of it."""

    class Kind(models.TextChoices):
        AKTIVASI = "aktivasi", _("Aktivasi per NIK")
        REKAP = "rekap", _("Rekap harian per kecamatan")
        PEMILIK_KTP = "pemilik_ktp", _("Pemilik KTP-el")
        ROSTER = "roster", _("Daftar anggota instansi")
        PERINGKAT = "peringkat", _("Angka kabupaten/kota se-provinsi atau nasional")

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
    # The last date in the file: the kecamatan it has rows in have reported up to it
    # (kecamatan/progress/datadate.py).
    data_through = models.DateField(_("data s.d."), null=True, blank=True)
    # Rows worth a look that are not errors (duplicates, date conflicts) and how each region name
    # was matched to a code; shown in the preview.
    notes = models.JSONField(_("catatan baris"), default=dict, blank=True)
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
