"""Forms for what admins send in."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import OfficialFigure, Region, Target, Upload

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx"}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis berkas"), choices=Upload.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Berkas"),
        help_text=_("CSV (pemisah , ; atau tab) atau XLSX, hasil ekspor sistem nasional."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Hanya berkas .csv, .txt atau .xlsx yang diterima."))
        if uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                }
            )
        return uploaded


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["percent", "valid_from", "deadline", "region", "segment", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Targets are set for the kabupaten and the levels that report to it, not single desa.
        self.fields["region"].queryset = Region.objects.filter(depth__lte=3).order_by("code")
        self.fields["region"].empty_label = _("Semua wilayah")
        self.fields["segment"].empty_label = _("Semua segmen")

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_from")
            and data.get("deadline")
            and data["deadline"] <= data["valid_from"]
        ):
            raise forms.ValidationError(_("Tenggat harus sesudah tanggal mulai berlaku."))
        return data


class OfficialFigureForm(forms.ModelForm):
    class Meta:
        model = OfficialFigure
        fields = ["region", "as_of", "activated", "holders", "source", "note"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(depth__lte=3).order_by("code")


class ViewFilterForm(forms.Form):
    """What a dashboard page shows: one segment or all, as of which date, children in which
    order. It lives in the URL (GET), so a view can be shared as a link."""

    ORDERS = [("kekurangan", _("Kekurangan (orang)")), ("persen", _("Capaian (%)"))]

    segmen = forms.ChoiceField(label=_("Segmen"), required=False)
    tanggal = forms.DateField(
        label=_("Per tanggal"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    urut = forms.ChoiceField(label=_("Urutkan"), choices=ORDERS, required=False)

    def __init__(self, data, *, segments: list[tuple[str, str]], latest):
        super().__init__(data)
        self.latest = latest
        self.fields["segmen"].choices = [("", _("Semua segmen")), *segments]
        if latest:
            self.fields["tanggal"].widget.attrs["max"] = latest.isoformat()

    def clean_tanggal(self):
        day = self.cleaned_data["tanggal"]
        if day and self.latest and day > self.latest:
            raise forms.ValidationError(
                _("Data baru tersedia sampai %(date)s; pilih tanggal itu atau sebelumnya.")
                % {"date": formats.date_format(self.latest, "DATE_FORMAT")}
            )
        return day

    def choice(self, name: str):
        """The cleaned value, or None (the default) when the field is empty or not valid."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data.get(name) or None
