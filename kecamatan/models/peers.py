"""Peers' figures: one row per kabupaten/kota from a table the province or Ditjen Dukcapil sent,
to rank the office among its peers (kecamatan/peers/)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .activations import Basis


class PeerFigure(models.Model):
    """A kabupaten/kota's activations and the count its percentage is of, on a date, as one
    file said. A later file of the same scope and date replaces the rows of that date.

    No foreign key to the upload (as on activations): the upload's history may be cleaned."""

    class Scope(models.TextChoices):
        PROVINCE = "province", _("provinsi")
        NATIONAL = "national", _("nasional")

    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices)
    as_of = models.DateField(_("per tanggal"))
    code = models.CharField(_("kode kabupaten/kota"), max_length=5)  # Kemendagri "33.11"
    activated = models.PositiveIntegerField(_("aktivasi"))
    denominator = models.PositiveIntegerField(_("penyebut"))
    basis = models.CharField(_("dasar"), max_length=20, choices=Basis.choices, blank=True)
    percent_given = models.DecimalField(
        _("persen di berkas"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    upload_id = models.BigIntegerField(_("unggahan"), null=True, blank=True)
    saved_at = models.DateTimeField(_("disimpan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("angka kabupaten/kota lain")
        verbose_name_plural = _("angka kabupaten/kota lain")
        ordering = ["-as_of", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "as_of", "code"], name="peer_unique")
        ]

    def __str__(self):
        return f"{self.scope} {self.as_of} {self.code}: {self.activated}/{self.denominator}"
