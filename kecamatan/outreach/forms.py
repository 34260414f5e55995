"""Forms of the outreach pages: the filters in the URL, a visit (planning and correcting), the
phone entry, and the failure reasons an Admin edits."""

import datetime as dt
import uuid

from django import forms
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ikd_dashboard.bounds import DATES, DATES_MESSAGE
from ikd_dashboard.dateinput import SHOWN_FORMAT, DayMonthYearField

from ..accounts.access import filter_regions_for_user, visit_regions_for_user
from ..accounts.roles import ADMIN, PETUGAS
from ..models import FailureReason, Holiday, OfficerAbsence, Region, Visit
from ..nik import NoNikInTextMixin
from .forecast import MAX_OFFICERS
from .plan import DEFAULT_WEEKS, MAX_WEEKS
from .visits import (
    DATE_FIELDS,
    MAX_PEOPLE,
    NOTE_MAX,
    TEXT_FIELDS,
    VISIT_FIELDS,
    VisitData,
    visit_problems,
)

TIME_FIELDS = ("time_from", "time_to")
# A time box (the phone's own picker) sends 08:00; typed by hand it may be 08.00 too.
TIME_FORMATS = ["%H:%M", "%H.%M"]
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "time"})
DATE_BOUNDS = [
    MinValueValidator(DATES[0], DATES_MESSAGE),
    MaxValueValidator(DATES[1], DATES_MESSAGE),
]


def date_field(label, **kwargs) -> DayMonthYearField:
    """A date box as the dashboard's: dd/mm/yyyy typed (ISO from a shared link), the date in
    words beside it (js/dates.js), within DATES."""
    return DayMonthYearField(label=label, validators=DATE_BOUNDS, **kwargs)


def date_boxes_described(form: forms.BaseForm) -> None:
    """Each date box is described by the date in words beside it (_date_box.html)."""
    for name, field in form.fields.items():
        if isinstance(field, DayMonthYearField):
            field.widget.attrs["aria-describedby"] = f"{form.auto_id % name}-words"


class OutreachFilterForm(forms.Form):
    """Region and period in the URL (`?wilayah=33.11.01&dari=2025-01-01&sampai=2025-03-31`)."""

    wilayah = forms.ChoiceField(label=_("Wilayah"), required=False)
    dari = date_field(_("Dari"), required=False)
    sampai = date_field(_("Sampai"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *Visit.Status.choices]
    )
    tempat = forms.ChoiceField(
        label=_("Jenis tempat"), required=False, choices=[("", _("Semua")), *Visit.Place.choices]
    )

    def __init__(self, data, *, user, default_since=None, default_until=None):
        super().__init__(data)
        self.top, self.regions = filter_regions_for_user(user)
        self.fields["wilayah"].choices = [(r.code, r.display_name) for r in self.regions.values()]
        self.default_since, self.default_until = default_since, default_until
        date_boxes_described(self)
        self.is_valid()  # fills cleaned_data with the fields that are valid
        self.show_dates(dari=self.since, sampai=self.until)

    def show_dates(self, **days: dt.date | None) -> None:
        """Each date box shows the date in use as dd/mm/yyyy, whatever the URL had (an ISO link,
        nothing: the default period); a box with an error keeps what was typed."""
        data = self.data.copy()
        for name, day in days.items():
            if name not in self.errors:
                data[name] = day.strftime(SHOWN_FORMAT) if day else ""
        self.data = data

    def clean(self):
        data = super().clean()
        since, until = data.get("dari"), data.get("sampai")
        if since and until and since > until:
            self.add_error(
                "sampai", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
            )
        return data

    @property
    def region(self) -> Region | None:
        return self.regions.get(self.cleaned_data.get("wilayah")) or self.top

    @property
    def since(self) -> dt.date | None:
        return self.cleaned_data.get("dari") or self.default_since

    @property
    def until(self) -> dt.date | None:
        if self.errors.get("sampai"):
            return self.default_until
        return self.cleaned_data.get("sampai") or self.default_until

    def value(self, name: str):
        return self.cleaned_data.get(name) or None


def officer_choices():
    """Office accounts that go out on visits: Petugas and Admins, active, by name."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[PETUGAS, ADMIN])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OfficerField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class _ByKecamatan(forms.models.ModelChoiceIterator):
    """The desa under their kecamatan (optgroups): 167 names are read, not scrolled."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for region in self.queryset:
            groups.setdefault(region.parent.name if region.parent_id else "", []).append(
                self.choice(region)
            )
        yield from groups.items()


class RegionField(forms.ModelChoiceField):
    iterator = _ByKecamatan

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("— pilih desa/kelurahan —"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, region):
        return region.name  # its kecamatan is the group it is listed under


def people_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PEOPLE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
        **kwargs,
    )


class VisitFieldsMixin:
    """What the visit form and the phone entry share: one count field per failure reason, and
    the rules of visit_problems put on the fields they concern."""

    FIELD_NAMES = {"failed": "activated"}  # problems about failures show at the count

    def add_reason_fields(self, failed: dict[str, int]):
        self.reasons = list(FailureReason.objects.filter(active=True))
        for reason in self.reasons:
            self.fields[f"gagal_{reason.code}"] = people_field(
                reason.name, required=False, initial=failed.get(reason.code) or None
            )

    def failed(self) -> dict[str, int]:
        return {
            r.code: self.cleaned_data.get(f"gagal_{r.code}") or 0
            for r in self.reasons
            if self.cleaned_data.get(f"gagal_{r.code}")
        }

    def reason_fields(self):
        return [(reason, self[f"gagal_{reason.code}"]) for reason in self.reasons]

    def clean(self):
        data = super().clean()
        if not self.errors:  # the rules read whole fields: only once each one is valid
            for name, message in visit_problems(self.visit_data()).items():
                name = self.FIELD_NAMES.get(name, name)
                self.add_error(name if name in self.fields else None, message)
        return data


class VisitForm(NoNikInTextMixin, VisitFieldsMixin, forms.ModelForm):
    """A visit as planned or corrected on its page."""

    region = RegionField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    officers = OfficerField(label=_("Petugas"), queryset=User.objects.none())
    date_fields = DATE_FIELDS

    class Meta:
        model = Visit
        # The hours beside the planned day; the officers after the request's letter.
        fields = [
            *VISIT_FIELDS[:2],
            *TIME_FIELDS,
            *VISIT_FIELDS[2:10],
            "officers",
            *VISIT_FIELDS[10:13],
        ]
        field_classes = dict.fromkeys(DATE_FIELDS, DayMonthYearField)
        widgets = {
            **{name: TIME_WIDGET for name in TIME_FIELDS},
            "note": forms.Textarea(attrs={"rows": 2}),
            "expected": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "activated": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, failed: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visit_regions_for_user(user).select_related("parent")
        self.fields["region"].queryset = self.fields["region"].queryset.order_by(
            "parent__name", "name"
        )
        # Planning a new visit asks only what planning needs, and offers only field officers;
        # a visit's page (its result, a correction) has every field and keeps its officers.
        self.planning = self.instance.pk is None
        if self.planning:
            for name in ("status", "held_on", "activated"):
                del self.fields[name]
            self.fields["officers"].queryset = User.objects.filter(
                is_active=True, groups__name=PETUGAS
            ).order_by("first_name", "last_name", "username")
        else:
            self.fields["officers"].queryset = (
                User.objects.filter(
                    Q(is_active=True, groups__name__in=[PETUGAS, ADMIN])
                    | Q(outreach_visits=self.instance)
                )
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
        self.fields["place"].choices = [("", _("— pilih jenis tempat —")), *Visit.Place.choices]
        for name in DATE_FIELDS:
            if name not in self.fields:
                continue
            self.fields[name].validators.extend(DATE_BOUNDS)
        for name in TIME_FIELDS:
            self.fields[name].input_formats = TIME_FORMATS
        self.fields["time_from"].help_text = _(
            "Boleh kosong. Halaman publik (bila aktif) menampilkannya untuk kegiatan di "
            "tempat umum."
        )
        self.fields["note"].validators.append(MaxLengthValidator(NOTE_MAX))
        self.fields["note"].widget.attrs["maxlength"] = NOTE_MAX
        date_boxes_described(self)
        if self.planning and PETUGAS in user.groups.values_list("name", flat=True):
            self.initial.setdefault("officers", [user.pk])
        self.add_reason_fields(failed or {})

    def add_reason_fields(self, failed):
        if self.planning:
            self.reasons = []
            return
        super().add_reason_fields(failed)

    def visit_data(self) -> VisitData:
        data = self.cleaned_data
        values = {name: data.get(name) for name in VISIT_FIELDS}
        values = {k: ("" if v is None and k in TEXT_FIELDS else v) for k, v in values.items()}
        if self.planning:
            values["status"] = Visit.Status.PLANNED
        return VisitData(**values, officers=list(data.get("officers") or []), failed=self.failed())


ENTRY_PLACE_ORDER = [
    "sekolah",
    "desa",
    "pasar",
    "instansi",
    "kecamatan",
    "lainnya",
    "dinas",
    "mandiri",
]


class EntryForm(NoNikInTextMixin, VisitFieldsMixin, forms.Form):
    """The phone entry: a visit's result in a few taps. Without JavaScript it posts like any
    form; with it, the page keeps the entry on the phone and sends it to the API."""

    # The entry's one date is the visit's: problems with either show at the date box.
    FIELD_NAMES = {**VisitFieldsMixin.FIELD_NAMES, "held_on": "day", "planned_on": "day"}
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Kegiatan"),
        choices=[(Visit.Status.HELD, _("Terlaksana")), (Visit.Status.CANCELLED, _("Batal"))],
        widget=forms.RadioSelect,
        initial=Visit.Status.HELD,
    )
    day = date_field(_("Tanggal"))
    region = RegionField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    place = forms.ChoiceField(label=_("Jenis tempat"), choices=(), widget=forms.RadioSelect)
    location = forms.CharField(
        label=_("Nama lokasi"),
        max_length=200,
        widget=forms.TextInput({"placeholder": _("mis. SMA N 1 Weru"), "autocomplete": "off"}),
    )
    officers = OfficerField(label=_("Petugas"), queryset=User.objects.none())
    expected = people_field(_("Perkiraan peserta"), required=False)
    activated = people_field(_("Berhasil aktivasi"), required=False, initial=0)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            visit_regions_for_user(user).select_related("parent").order_by("parent__name", "name")
        )
        self.fields["officers"].queryset = officer_choices()
        # The places officers go to first, the office's own counters last.
        labels = dict(Visit.Place.choices)
        self.fields["place"].choices = [(p, labels[p]) for p in ENTRY_PLACE_ORDER]
        self.initial.setdefault("client_id", uuid.uuid4())
        self.initial.setdefault("day", today)
        self.initial.setdefault("officers", [user.pk])
        date_boxes_described(self)
        self.add_reason_fields({})

    def visit_data(self) -> VisitData:
        data = self.cleaned_data
        held = data["status"] == Visit.Status.HELD
        return VisitData(
            client_id=data["client_id"],
            region=data["region"],
            place=data["place"],
            location=data["location"],
            status=data["status"],
            planned_on=data["day"],
            held_on=data["day"] if held else None,
            officers=list(data["officers"]),
            expected=data.get("expected"),
            activated=(data.get("activated") or 0) if held else None,
            failed=self.failed() if held else {},
            note=data.get("note") or "",
        )


class ReasonForm(NoNikInTextMixin, forms.ModelForm):
    class Meta:
        model = FailureReason
        fields = ["code", "name", "retryable", "sort_order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the code is what visits refer to: it stays
            self.fields["code"].disabled = True


class PlanForm(OutreachFilterForm):
    """The plan's what-if: as if the team had `petugas` officers, going out `hari` days a week,
    for the next `minggu` weeks (`?petugas=17&hari=6&minggu=4`). Empty: the real team."""

    petugas = forms.IntegerField(
        label=_("Jumlah petugas"), required=False, min_value=1, max_value=MAX_OFFICERS
    )
    hari = forms.TypedChoiceField(
        label=_("Hari kerja per minggu"),
        required=False,
        coerce=int,
        choices=[(5, _("5 (Senin–Jumat)")), (6, _("6 (Senin–Sabtu)"))],
    )
    minggu = forms.IntegerField(
        label=_("Minggu direncanakan"), required=False, min_value=1, max_value=MAX_WEEKS
    )

    @property
    def officers(self) -> int | None:
        return self.cleaned_data.get("petugas") or None

    @property
    def days_per_week(self) -> int:
        return self.cleaned_data.get("hari") or 5

    @property
    def weeks(self) -> int:
        return self.cleaned_data.get("minggu") or DEFAULT_WEEKS


class HolidayForm(forms.ModelForm):
    day = date_field(_("Tanggal"))

    class Meta:
        model = Holiday
        fields = ["day", "name"]


class AbsenceForm(NoNikInTextMixin, forms.ModelForm):
    start = date_field(_("Mulai"))
    end = date_field(_("Sampai"))

    class Meta:
        model = OfficerAbsence
        fields = ["officer", "start", "end", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            is_active=True, groups__name=PETUGAS
        ).order_by("first_name", "last_name", "username")
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["officer"].empty_label = _("— pilih petugas —")
        date_boxes_described(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        return data
