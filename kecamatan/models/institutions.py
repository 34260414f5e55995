"""Institutions (OPD, schools, companies, units), their rosters — NIK only as a keyed hash — and
the targets set for one institution or for a kind of institution."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .activations import Segment
from .regions import Region


class Institution(models.Model):
    """An office, school, company or unit whose people the office tracks one by one."""

    class Kind(models.TextChoices):
        OPD = "opd", _("OPD")
        SEKOLAH = "sekolah", _("Sekolah")
        BUMN = "bumn", _("BUMN")
        BUMD = "bumd", _("BUMD")
        TNI = "tni", _("TNI")
        POLRI = "polri", _("Polri")
        DPRD = "dprd", _("DPRD")
        LAINNYA = "lainnya", _("Lainnya")

    # The segment an institution's members usually belong to, when nobody says otherwise.
    KIND_SEGMENTS = {
        "opd": "asn",
        "sekolah": "pelajar",
        "bumn": "bumn",
        "bumd": "bumd",
        "tni": "tni",
        "polri": "polri",
        "dprd": "dprd_kab",
        "lainnya": "umum",
    }

    code = models.CharField(_("kode instansi"), max_length=30, unique=True)
    name = models.CharField(_("nama instansi"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tempat kedudukan instansi (kabupaten, kecamatan atau desa/kelurahan)."),
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segmen"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Segmen anggotanya; targetnya berlaku bila instansi tak punya target sendiri."),
    )
    # The upload that last replaced the roster, and when.
    roster_upload = models.ForeignKey(
        "Upload",
        verbose_name=_("unggahan daftar anggota"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roster_updated_at = models.DateTimeField(_("daftar anggota diperbarui"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["code"]
        indexes = [models.Index(fields=["region", "kind"], name="institution_region_kind")]

    def __str__(self):
        return f"{self.code} {self.name}"


class RosterMember(models.Model):
    """One person on an institution's roster: the NIK's keyed hash (kecamatan.nik), and whether
    the NIK was issued outside the institution's kabupaten — derived at import from the NIK's
    region digits, the only thing kept of them."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="members")
    nik_hash = models.CharField(_("hash NIK"), max_length=64)
    outside_kabupaten = models.BooleanField(_("NIK dari luar kabupaten"), default=False)

    class Meta:
        verbose_name = _("anggota instansi")
        verbose_name_plural = _("anggota instansi")
        constraints = [
            models.UniqueConstraint(fields=["institution", "nik_hash"], name="roster_member_unique")
        ]

    def __str__(self):
        return f"{self.institution_id} {self.nik_hash[:12]}…"


class InstitutionTarget(models.Model):
    """A dated target for one institution, or for every institution of a kind (a regent's
    circular: 100% of ASN by a date). The version in force on a date is the latest one valid on
    it; an institution's own beats its kind's, which beats its segment's (kecamatan.Target)."""

    percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("berlaku sejak"))
    deadline = models.DateField(_("tenggat"))
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(
        _("jenis instansi"), max_length=10, choices=Institution.Kind.choices, blank=True
    )
    source_letter = models.CharField(
        _("nomor surat"),
        max_length=120,
        blank=True,
        help_text=_("Nomor surat edaran atau keputusan yang menetapkan target ini."),
    )
    source_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("target instansi")
        verbose_name_plural = _("target instansi")
        ordering = ["-valid_from", "pk"]
        constraints = [
            # Either one institution or one kind, never both, never neither.
            models.CheckConstraint(
                condition=(Q(institution__isnull=False) & Q(kind=""))
                | (Q(institution__isnull=True) & ~Q(kind="")),
                name="institution_target_one_scope",
            ),
            models.UniqueConstraint(
                fields=["institution", "valid_from"],
                condition=Q(institution__isnull=False),
                name="institution_target_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "valid_from"],
                condition=Q(institution__isnull=True),
                name="institution_kind_target_unique",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="institution_target_range"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("valid_from")), name="institution_target_deadline"
            ),
        ]

    def __str__(self):
        return f"{self.percent}% s.d. {self.deadline} (sejak {self.valid_from})"

    def describe(self) -> str:
        """One line for the audit trail: what this version says and whom it applies to."""
        scope = f"instansi {self.institution.code}" if self.institution_id else f"jenis {self.kind}"
        return (
            f"{Decimal(self.percent).normalize():f}% s.d. {self.deadline:%d/%m/%Y}, berlaku sejak "
            f"{self.valid_from:%d/%m/%Y}; {scope}"
            + (f"; surat {self.source_letter}" if self.source_letter else "")
        )
