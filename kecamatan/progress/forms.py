"""Forms for what admins set: target versions and official figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import OfficialFigure, Region, Target


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "percent",
            "valid_from",
            "deadline",
            "region",
            "segment",
            "denominator",
            "source_letter",
            "source_date",
            "note",
        ]
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
