"""Forms for what admins set: target versions and official figures."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from ikd_dashboard.bounds import DATES, MAX_COUNT
from ikd_dashboard.dateinput import DayMonthYearField

from ..models import OfficialFigure, Region, Target
from ..nik import NoNikInTextMixin


class TargetForm(NoNikInTextMixin, forms.ModelForm):
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
        data["denominator"] = data.get("denominator") or Target.Denominator.PEREKAMAN
        for name in ("valid_from", "deadline"):
            if data.get(name) and not DATES[0] <= data[name] <= DATES[1]:
                self.add_error(name, _("Tanggal harus antara 2022 dan 2100."))  # drops it
        if (
            data.get("valid_from")
            and data.get("deadline")
            and data["deadline"] <= data["valid_from"]
        ):
            raise forms.ValidationError(_("Tenggat harus sesudah tanggal mulai berlaku."))
        return data


class OfficialFigureForm(NoNikInTextMixin, forms.ModelForm):
    class Meta:
        model = OfficialFigure
        fields = ["region", "as_of", "activated", "holders", "source", "note"]
        field_classes = {"as_of": DayMonthYearField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(depth__lte=3).order_by("code")
        # The same bounds as an uploaded count, whatever the database (SQLite checks none).
        for name in ("activated", "holders"):
            self.fields[name].max_value = MAX_COUNT
            self.fields[name].validators.append(MaxValueValidator(MAX_COUNT))

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and not DATES[0] <= day <= DATES[1]:
            raise forms.ValidationError(_("Tanggal harus antara 2022 dan 2100."))
        return day
