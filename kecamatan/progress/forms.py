"""Forms for what admins set: target versions and official figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikd_dashboard.dateinput import DayMonthYearField

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
        field_classes = {
            "valid_from": DayMonthYearField,
            "deadline": DayMonthYearField,
            "source_date": DayMonthYearField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Targets are set for the kabupaten and the levels that report to it, not single desa.
        self.fields["region"].queryset = Region.objects.filter(depth__lte=3).order_by("code")
        self.fields["region"].empty_label = _("Semua wilayah")
        self.fields["segment"].empty_label = _("Semua segmen")
        # Most targets are of the KTP holders: a form that leaves it out means that.
        self.fields["denominator"].required = False

    def clean(self):
        data = super().clean()
        data["denominator"] = data.get("denominator") or Target.Denominator.WAJIB_KTP
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
        field_classes = {"as_of": DayMonthYearField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(depth__lte=3).order_by("code")
