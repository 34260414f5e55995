"""Messages to people where they read them: an officer's WhatsApp number, and the outbox.

Every message is a row before it is sent (the outbox), so none is lost to a gateway or a worker
that is down: the row says queued, sent or failed, with the last error, and an Admin can send
it again. Its `key` names what it is about, so the same reminder is never queued twice."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# An Indonesian mobile number as WhatsApp gateways take it: 62, then 8 and 7–12 digits.
WHATSAPP_NUMBER = RegexValidator(
    r"^628[0-9]{7,12}$", _("Nomor WhatsApp seperti 0812 3456 7890 atau +62 812 3456 7890.")
)


def whatsapp_number(text: str) -> str:
    """`0812-3456-7890`, `+62 812 3456 7890` → `6281234567890`, the form gateways take."""
    digits = re.sub(r"[\s().-]", "", text or "").removeprefix("+")
    return "62" + digits[1:] if digits.startswith("0") else digits


class OfficerContact(models.Model):
    """Where a person gets messages besides email: one WhatsApp number (kept by Admin)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="contact",
    )
    whatsapp = models.CharField(
        _("nomor WhatsApp"),
        max_length=20,  # room for what is typed ("+62 812-3456-7890"); kept as 62…
        help_text=_("Untuk pengingat kunjungan jemput bola."),
    )

    class Meta:
        verbose_name = _("kontak petugas")
        verbose_name_plural = _("kontak petugas")

    def __str__(self):
        return f"{self.user} {self.whatsapp}"

    def clean(self):
        # Checked here, after the number is put in shape, not as a field validator (which
        # Django runs first, on what was typed).
        self.whatsapp = whatsapp_number(self.whatsapp)
        try:
            WHATSAPP_NUMBER(self.whatsapp)
        except ValidationError as error:
            raise ValidationError({"whatsapp": error}) from None


class OutboxMessage(models.Model):
    """One message to one address, from queued to sent or failed."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Pengingat kunjungan")
        RECAP = "recap", _("Rekap harian")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    key = models.CharField(_("kunci"), max_length=100, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    # None for the office's group: its address comes from settings.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    channel = models.CharField(_("saluran"), max_length=20, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]

    def __str__(self):
        return f"{self.key} ({self.status})"
