"""Forms for what admins send in."""

from django import forms
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import Region, UserRegion


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


ROLES = [("Staf", _("Staf")), ("Pimpinan", _("Pimpinan")), ("Admin", _("Admin"))]


class UserForm(forms.ModelForm):
    """An office account as an Admin manages it: name, email, one role, active or not, and a
    password when the account is new (or to reset it)."""

    role = forms.ChoiceField(label=_("Peran"), choices=ROLES)
    scope = forms.ModelChoiceField(
        label=_("Batasi ke kecamatan"),
        queryset=Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name"),
        required=False,
        empty_label=_("— seluruh kabupaten —"),
        help_text=_("Operator kecamatan hanya melihat kecamatan ini dan desanya."),
    )
    password = forms.CharField(
        label=_("Kata sandi baru"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Wajib untuk akun baru; kosongkan agar tidak berubah."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            group = self.instance.groups.values_list("name", flat=True).first()
            self.fields["role"].initial = group
            scope = UserRegion.objects.filter(user=self.instance).first()
            self.fields["scope"].initial = scope.region_id if scope else None
        self.fields["email"].help_text = _("Pimpinan menerima laporan bulanan di alamat ini.")

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password and not self.instance.pk:
            raise forms.ValidationError(_("Akun baru perlu kata sandi."))
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data["password"]:
            user.set_password(self.cleaned_data["password"])
        user.save()
        user.groups.set([Group.objects.get(name=self.cleaned_data["role"])])
        if self.cleaned_data["scope"]:
            UserRegion.objects.update_or_create(
                user=user, defaults={"region": self.cleaned_data["scope"]}
            )
        else:
            UserRegion.objects.filter(user=user).delete()
        return user
