"""Forms for what admins send in."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ikd_dashboard.bounds import IKD_START
from ikd_dashboard.dateinput import DayMonthYearField


class ViewFilterForm(forms.Form):
    """What a dashboard page shows: one segment or all, as of which date, children in which
    order. It lives in the URL (GET), so a view can be shared as a link."""

    ORDERS = [("kekurangan", _("Kekurangan (orang)")), ("persen", _("Capaian (%)"))]

    segmen = forms.ChoiceField(label=_("Segmen"), required=False)
    tanggal = DayMonthYearField(label=_("Per tanggal"), required=False)
    urut = forms.ChoiceField(label=_("Urutkan"), choices=ORDERS, required=False)

    def __init__(self, data, *, segments: list[tuple[str, str]], latest):
        super().__init__(data)
        self.latest = latest
        self.fields["segmen"].choices = [("", _("Semua segmen")), *segments]

    def clean_tanggal(self):
        day = self.cleaned_data["tanggal"]
        if day and day < IKD_START:
            raise forms.ValidationError(_("Tidak ada data sebelum IKD dimulai (2022)."))
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
