"""The audit trail and the region a user is limited to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Region


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
        VISIT_SAVE = "visit_save", _("Kunjungan jemput bola disimpan")
        REASON_SAVE = "reason_save", _("Alasan gagal aktivasi disimpan")
        INSTITUTION_SAVE = "institution_save", _("Instansi disimpan")
        INSTITUTION_TARGET = "institution_target", _("Target instansi diubah")
        ROSTER_CHECK = "roster_check", _("Cek daftar")
        VISIT_REQUEST = "visit_request", _("Permintaan kunjungan diputuskan")

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
