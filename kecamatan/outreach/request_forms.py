"""Forms of visit requests: the open page's form a school, an office or a community fills in,
and the Admin's two answers (accept into the plan, decline with a reason).

The public form asks for no NIK and takes none: any text holding one is refused
(NoNikInTextMixin), and nothing of it is stored. A hidden field (`situs`) that people never see
catches the robots that fill in every box."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ..models import Region, Visit, VisitRequest
from ..nik import NoNikInTextMixin
from .forms import (
    TIME_FORMATS,
    TIME_WIDGET,
    OfficerField,
    RegionField,
    date_boxes_described,
    date_field,
    officer_choices,
)
from .requests import KIND_PLACES, request_visit_data
from .visits import MAX_PEOPLE, visit_problems

# How far ahead a visit may be asked for, and how wide the preferred days may be.
AHEAD_DAYS = 180
SPAN_DAYS = 60
NOTE_MAX = 500
PHONE = re.compile(r"\+?[0-9][0-9 .\-]{6,20}")


def clean_contact(value: str) -> str:
    """A phone number (9 to 15 digits, as written) or an email address."""
    value = value.strip()
    if "@" in value:
        validate_email(value)
        return value
    digits = re.sub(r"\D", "", value)
    if not PHONE.fullmatch(value) or not 9 <= len(digits) <= 15:
        raise ValidationError(
            _("Tulis nomor HP (mis. 0812 3456 7890) atau alamat email yang bisa dihubungi.")
        )
    return value


class VisitRequestForm(NoNikInTextMixin, forms.ModelForm):
    """What a group tells the office when it asks for a visit."""

    region = RegionField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    preferred_from = date_field(_("Tanggal yang diinginkan, dari"))
    preferred_to = date_field(_("Sampai tanggal"))
    # Never shown to people (hidden by the stylesheet and from screen readers): a robot fills it.
    situs = forms.CharField(label=_("Situs web"), required=False)
    date_fields = ("preferred_from", "preferred_to")
    # The page's two parts: what is asked for, and whom the officers call.
    visit_fields = (
        "group_name",
        "kind",
        "location",
        "region",
        "expected",
        "preferred_from",
        "preferred_to",
        "note",
    )
    contact_fields = ("requester", "contact")

    class Meta:
        model = VisitRequest
        fields = [
            "group_name",
            "kind",
            "location",
            "region",
            "expected",
            "preferred_from",
            "preferred_to",
            "note",
            "requester",
            "contact",
        ]
        labels = {
            "group_name": _("Nama sekolah, kantor, atau kelompok"),
            "kind": _("Jenis"),
            "location": _("Tempat kegiatan"),
            "expected": _("Perkiraan jumlah peserta"),
            "requester": _("Nama Anda"),
            "contact": _("Nomor HP atau email"),
            "note": _("Catatan (boleh kosong)"),
        }
        help_texts = {
            "location": _("mis. Aula SMA N 1 Weru, Balai RW 03"),
            "expected": _("Orang yang belum aktivasi IKD dan akan hadir."),
            "note": _("mis. jam yang cocok, ruangan, atau hal lain. Jangan menulis NIK."),
        }
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
            "expected": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "contact": forms.TextInput(attrs={"autocomplete": "tel"}),
            "requester": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["region"].queryset = (
            Region.objects.filter(level__in=(Region.Level.DESA, Region.Level.KELURAHAN))
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        self.fields["kind"].choices = [("", _("— pilih jenis —")), *VisitRequest.Kind.choices]
        self.fields["note"].max_length = NOTE_MAX
        self.fields["situs"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "trap"}
        )
        date_boxes_described(self)

    def clean_contact(self):
        return clean_contact(self.cleaned_data["contact"])

    def clean_expected(self):
        expected = self.cleaned_data["expected"]
        if not 1 <= expected <= MAX_PEOPLE:
            raise ValidationError(_("Jumlah harus antara 1 dan %(max)s.") % {"max": MAX_PEOPLE})
        return expected

    def clean_note(self):
        note = self.cleaned_data.get("note") or ""
        if len(note) > NOTE_MAX:
            raise ValidationError(_("Paling panjang %(n)s karakter.") % {"n": NOTE_MAX})
        return note

    def clean(self):
        data = super().clean()
        first, last = data.get("preferred_from"), data.get("preferred_to")
        if first and first < self.today:
            self.add_error("preferred_from", _("Pilih tanggal mulai hari ini atau sesudahnya."))
        elif first and last and last < first:
            self.add_error("preferred_to", _("Tanggal akhir harus sama dengan atau sesudah awal."))
        elif first and last and (last - first).days > SPAN_DAYS:
            self.add_error("preferred_to", _("Rentang paling lama %(n)s hari.") % {"n": SPAN_DAYS})
        elif last and last > self.today + dt.timedelta(days=AHEAD_DAYS):
            self.add_error(
                "preferred_to",
                _("Permintaan paling jauh %(n)s hari ke depan.") % {"n": AHEAD_DAYS},
            )
        return data

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("situs"))

    def request_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RequestAcceptForm(NoNikInTextMixin, forms.Form):
    """The Admin's yes: the day (within or near the preferred days), the hours, the place type
    and the officers; the rules of any planned visit apply (visit_problems)."""

    planned_on = date_field(_("Tanggal kunjungan"))
    time_from = forms.TimeField(
        label=_("Jam mulai"), required=False, widget=TIME_WIDGET, input_formats=TIME_FORMATS
    )
    time_to = forms.TimeField(
        label=_("Jam selesai"), required=False, widget=TIME_WIDGET, input_formats=TIME_FORMATS
    )
    place = forms.ChoiceField(label=_("Jenis tempat"), choices=Visit.Place.choices)
    officers = OfficerField(label=_("Petugas"), queryset=officer_choices().none())
    date_fields = ("planned_on",)

    def __init__(self, *args, visit_request: VisitRequest, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit_request, self.today = visit_request, today
        self.fields["officers"].queryset = officer_choices()
        self.initial.setdefault("planned_on", max(visit_request.preferred_from, today))
        self.initial.setdefault("place", KIND_PLACES.get(visit_request.kind, "lainnya"))
        date_boxes_described(self)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["planned_on"] < self.today:
            self.add_error("planned_on", _("Tanggal kunjungan tidak boleh sebelum hari ini."))
            return data
        for name, message in visit_problems(self.visit_data()).items():
            self.add_error(name if name in self.fields else None, message)
        return data

    def visit_data(self):
        data = self.cleaned_data
        return request_visit_data(
            visit_request=self.visit_request,
            planned_on=data["planned_on"],
            place=data["place"],
            officers=list(data["officers"]),
            time_from=data.get("time_from"),
            time_to=data.get("time_to"),
        )


class RequestDeclineForm(NoNikInTextMixin, forms.Form):
    """The Admin's no, with the reason the requester reads on their status page."""

    reason = forms.CharField(
        label=_("Alasan penolakan (dibaca pemohon)"),
        max_length=VisitRequest._meta.get_field("decline_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
