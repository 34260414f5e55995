"""Outreach ("jemput bola"): visits officers plan and hold, why people could not activate, and
the visits a school, an office or a community asks for on the open page."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .activations import Activation
from .regions import Region


class FailureReason(models.Model):
    """Why someone at a visit could not activate (seeded from the domain notes, edited by Admin).

    Retryable reasons can be solved by a second visit (bring a phone, make an email, come back
    with signal); final ones cannot (no phone at all, refusal)."""

    code = models.SlugField(_("kode"), max_length=30, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    retryable = models.BooleanField(
        _("bisa diulang"),
        default=True,
        help_text=_("Bisa diselesaikan pada kunjungan berikutnya."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Alasan yang tidak aktif tidak ditawarkan lagi.")
    )

    class Meta:
        verbose_name = _("alasan gagal aktivasi")
        verbose_name_plural = _("alasan gagal aktivasi")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Visit(models.Model):
    """One outreach visit: planned, held or cancelled, at a place in a desa/kelurahan."""

    Place = Activation.Place  # the place types the activation files use

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        HELD = "held", _("Terlaksana")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Origin(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        REQUEST = "request", _("Atas permintaan")

    # Made by the phone (or the server for a form) before the first send: the same entry sent
    # twice is the same visit.
    client_id = models.UUIDField(_("id klien"), unique=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("jenis tempat"), max_length=10, choices=Place.choices)
    location = models.CharField(_("nama lokasi"), max_length=200)
    institution = models.CharField(_("instansi/lembaga"), max_length=200, blank=True)
    origin = models.CharField(
        _("asal kegiatan"), max_length=10, choices=Origin.choices, default=Origin.SCHEDULED
    )
    letter_number = models.CharField(_("nomor surat permintaan"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(_("tanggal rencana"))
    # The hours a planned visit serves people, when known: the open page tells residents
    # "08.00–12.00"; without them it gives the day only (never invented hours).
    time_from = models.TimeField(_("jam mulai"), null=True, blank=True)
    time_to = models.TimeField(_("jam selesai"), null=True, blank=True)
    held_on = models.DateField(_("tanggal pelaksanaan"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), related_name="outreach_visits"
    )
    expected = models.PositiveIntegerField(_("perkiraan peserta"), null=True, blank=True)
    activated = models.PositiveIntegerField(_("berhasil aktivasi"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("kunjungan jemput bola")
        verbose_name_plural = _("kunjungan jemput bola")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "held_on"], name="visit_region_held"),
            models.Index(fields=["planned_on"], name="visit_planned_on"),
        ]
        constraints = [
            # A held visit has its day and its count; the others have neither.
            models.CheckConstraint(
                condition=(
                    Q(status="held", held_on__isnull=False, activated__isnull=False)
                    | (~Q(status="held") & Q(held_on__isnull=True, activated__isnull=True))
                ),
                name="visit_held_has_day_and_count",
            ),
        ]

    def __str__(self):
        return f"{self.held_on or self.planned_on:%Y-%m-%d} {self.location} ({self.region_id})"


class VisitFailure(models.Model):
    """People at a held visit who could not activate, for one reason."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="failures")
    reason = models.ForeignKey(
        FailureReason, verbose_name=_("alasan"), on_delete=models.PROTECT, related_name="+"
    )
    people = models.PositiveIntegerField(_("orang"))

    class Meta:
        verbose_name = _("gagal aktivasi")
        verbose_name_plural = _("gagal aktivasi")
        constraints = [
            models.UniqueConstraint(fields=["visit", "reason"], name="visit_failure_unique")
        ]

    def __str__(self):
        return f"{self.visit_id} {self.reason_id}: {self.people}"


class Holiday(models.Model):
    """A day nobody goes out (libur nasional, cuti bersama, a local holiday), kept by Admin:
    the plan never schedules a visit on it."""

    day = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=100)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"


class OfficerAbsence(models.Model):
    """An officer away from `start` to `end` (inclusive): leave, training, another duty. The
    plan books nobody on those days."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    reason = models.CharField(_("keterangan"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("petugas berhalangan")
        verbose_name_plural = _("petugas berhalangan")
        ordering = ["start", "officer_id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="absence_order")
        ]

    def __str__(self):
        return f"{self.officer_id} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


def _request_token() -> str:
    return secrets.token_urlsafe(24)


class VisitRequest(models.Model):
    """A visit a school, an office or a community asks for on the open page (/publik/): an Admin
    accepts it into the plan (a planned Visit, origin "request") or declines it with a reason
    the requester reads on the status page their random token opens. No NIK is asked for; text
    holding one is refused (kecamatan/outreach/request_forms.py)."""

    class Kind(models.TextChoices):
        SEKOLAH = "sekolah", _("Sekolah")
        INSTANSI = "instansi", _("Kantor / instansi pemerintah")
        PERUSAHAAN = "perusahaan", _("Perusahaan / pabrik")
        KOMUNITAS = "komunitas", _("Komunitas / RT / RW / organisasi")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        NEW = "new", _("Menunggu keputusan")
        ACCEPTED = "accepted", _("Diterima")
        DECLINED = "declined", _("Ditolak")

    token = models.CharField(max_length=40, unique=True, default=_request_token, editable=False)
    requester = models.CharField(_("nama pemohon"), max_length=100)
    contact = models.CharField(_("nomor HP atau email"), max_length=100)
    kind = models.CharField(_("jenis kelompok"), max_length=12, choices=Kind.choices)
    group_name = models.CharField(_("nama sekolah/instansi/kelompok"), max_length=200)
    location = models.CharField(_("tempat kegiatan"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    expected = models.PositiveIntegerField(_("perkiraan peserta"))
    preferred_from = models.DateField(_("tanggal yang diinginkan, dari"))
    preferred_to = models.DateField(_("sampai"))
    note = models.TextField(_("catatan"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    decline_reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("kunjungan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("permintaan kunjungan")
        verbose_name_plural = _("permintaan kunjungan")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="visitrequest_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_to__gte=models.F("preferred_from")),
                name="visitrequest_dates_order",
            ),
            # A declined request says why; an accepted one is a visit (until it is deleted).
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="visitrequest_declined_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.pk} {self.group_name} ({self.region_id})"
