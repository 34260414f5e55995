"""The account form an Admin fills in: name, email, one role, a kecamatan limit, a password."""

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from ..models import Region, UserRegion
from ..nik import NoNikInTextMixin
from .roles import ADMIN, ROLE_CHOICES


class UserForm(NoNikInTextMixin, forms.ModelForm):
    """An office account as an Admin manages it: name, email, one role, active or not, and a
    password when the account is new (or to reset it)."""

    role = forms.ChoiceField(label=_("Peran"), choices=ROLE_CHOICES)
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
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Wajib untuk akun baru; kosongkan agar tidak berubah."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, limited_to: Region | None = None, **kwargs):
        """`limited_to`: the kecamatan of an Admin who is limited to one; every account such an
        Admin saves is limited to it, their own included (no widening, no other kecamatan)."""
        super().__init__(*args, **kwargs)
        if limited_to is not None:
            # No new Admin either: an account this Admin could not change afterwards.
            self.fields["role"].choices = [c for c in ROLE_CHOICES if c[0] != ADMIN]
            self.fields["scope"].queryset = Region.objects.filter(pk=limited_to.pk)
            self.fields["scope"].required = True
            self.fields["scope"].empty_label = None
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
