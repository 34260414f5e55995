"""Monthly target reports for leadership: issued once a month, frozen, revised only by an admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    """One issued revision of a month's report. Its figures are stored with it, so a later data
    correction never changes what leadership was given; a correction is a new revision."""

    month = models.DateField(_("bulan"), help_text=_("Hari pertama bulan laporan."))
    # Whose report: "" for the kabupaten's, a kecamatan's code for that camat's (a Pimpinan
    # limited to the kecamatan reads, downloads and is emailed it, never the kabupaten's).
    scope = models.CharField(_("wilayah"), max_length=20, blank=True, default="")
    revision = models.PositiveSmallIntegerField(_("revisi"), default=1)
    # The office's letter number, given when issued (reports/letter.py, REPORT_NUMBER_PATTERN).
    number = models.CharField(_("nomor"), max_length=80, blank=True)
    # Every number the report shows, as computed when it was issued (see reports.monthly).
    figures = models.JSONField(_("angka"))
    # What moved since the previous revision: [{"label": …, "before": …, "after": …}, …].
    changes = models.JSONField(_("perubahan"), default=list, blank=True)
    reason = models.CharField(_("alasan revisi"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.BinaryField(_("PDF"), editable=False)

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-month", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "scope", "revision"], name="report_month_scope_revision"
            )
        ]

    def __str__(self):
        return f"{self.scope + ' ' if self.scope else ''}{self.month:%Y-%m} r{self.revision}"


class ReportPdf(models.Model):
    """A month's report as a PDF, rendered once and kept: per revision for an issued report, per
    recompute run for a draft, and per audience (with or without small counts) and language."""

    class Audience(models.TextChoices):
        FULL = "full", _("Lengkap (Pimpinan, Admin)")
        RESTRICTED = "restricted", _("Jumlah kecil digabung (Staf)")

    month = models.DateField(_("bulan"))
    # "r2" for revision 2 of an issued report; "draft-<run id>" for a draft from that run's data.
    version = models.CharField(_("versi"), max_length=40)
    audience = models.CharField(_("pembaca"), max_length=10, choices=Audience.choices)
    language = models.CharField(_("bahasa"), max_length=8)
    pdf = models.BinaryField(_("PDF"), editable=False)
    rendered_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("PDF laporan")
        verbose_name_plural = _("PDF laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "version", "audience", "language"], name="report_pdf_once"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.version} {self.audience} {self.language}"
