"""Forms of the institution pages: the filters in the URL, an institution's details, a target
version for one institution or a kind, and the list to check."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ikd_dashboard.dateinput import DayMonthYearField

from ..accounts.access import filter_regions_for_user, user_scope
from ..dashboard.forms import ViewFilterForm
from ..models import Institution, InstitutionTarget, Region, RegionClosure
from ..nik import NoNikInTextMixin
from ..uploads.forms import table_file_checked


class InstitutionFilterForm(ViewFilterForm):
    """Which institutions and as of which date, in the URL
    (`?jenis=opd&wilayah=33.11.01&tanggal=31/03/2025&urut=persen`)."""

    jenis = forms.ChoiceField(label=_("Jenis instansi"), required=False)
    wilayah = forms.ChoiceField(label=_("Wilayah"), required=False)

    def __init__(self, data, *, user, latest):
        super().__init__(data, segments=[], latest=latest)
        del self.fields["segmen"]
        self.order_fields(["jenis", "wilayah", "tanggal", "urut"])
        self.fields["jenis"].choices = [("", _("Semua jenis")), *Institution.Kind.choices]
        self.top, self.regions = filter_regions_for_user(user)
        self.fields["wilayah"].choices = [(r.code, r.display_name) for r in self.regions.values()]

    @property
    def region(self) -> Region | None:
        return self.regions.get(self.choice("wilayah")) or self.top


class InstitutionForm(NoNikInTextMixin, forms.ModelForm):
    """An institution's details; its code stays (rosters name it)."""

    class Meta:
        model = Institution
        fields = ["name", "kind", "region", "segment"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("code")
        scope = user_scope(user)
        if scope is not None:  # a limited Admin keeps its institutions in its kecamatan
            regions = regions.filter(
                code__in=RegionClosure.objects.filter(ancestor=scope).values("descendant_id")
            )
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.display_name}"


class InstitutionTargetForm(NoNikInTextMixin, forms.ModelForm):
    """A target version for one institution or for every institution of a kind."""

    class Meta:
        model = InstitutionTarget
        fields = [
            "percent",
            "valid_from",
            "deadline",
            "kind",
            "institution",
            "source_letter",
            "source_date",
            "note",
        ]
        # dd/mm/yyyy whatever the browser's language (ikd_dashboard/dateinput.py).
        field_classes = {
            "valid_from": DayMonthYearField,
            "deadline": DayMonthYearField,
            "source_date": DayMonthYearField,
        }
        help_texts = {
            "kind": _("Untuk semua instansi sejenis, mis. 100% OPD (ASN) menurut surat edaran."),
            "institution": _("Atau untuk satu instansi saja."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— satu instansi —")), *Institution.Kind.choices]
        self.fields["institution"].queryset = Institution.objects.order_by("code")

    def clean(self):
        data = super().clean()
        if bool(data.get("kind")) == bool(data.get("institution")):
            raise forms.ValidationError(_("Pilih satu: jenis instansi, atau satu instansi."))
        return data


class RosterCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Daftar anggota"),
        help_text=_("CSV atau XLSX dengan kolom NIK; kolom lain dikembalikan apa adanya."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        return table_file_checked(
            self.cleaned_data["file"], max_bytes=settings.ROSTER_CHECK_MAX_BYTES
        )
