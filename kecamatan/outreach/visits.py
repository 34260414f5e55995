"""Recording visits: from a phone (the same entry twice is one visit), from the planning and
edit forms, their results by reason; every change goes to the audit trail.

The rules a visit must keep are written once (`visit_problems`), for the forms and the API.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from ikd_dashboard.bounds import DATES, DATES_MESSAGE
from ikd_dashboard.dates import today_jakarta

from ..accounts.access import visits_for_user
from ..accounts.audit import audit
from ..models import AuditEvent, FailureReason, Region, Visit, VisitFailure
from ..nik import NIK_IN_TEXT_MESSAGE, nik_in_text, nik_mask_text

# More people than this at one visit is a typing slip, not a visit.
MAX_PEOPLE = 5_000
# What a visit, a period or a week can be dated: ikd_dashboard.bounds.DATES.
DATE_FIELDS = ("planned_on", "held_on", "letter_date")
# What a form or the API may set on a visit, besides officers and failures (in the form's order).
VISIT_FIELDS = [
    "status",
    "planned_on",
    "held_on",
    "region",
    "place",
    "location",
    "institution",
    "origin",
    "letter_number",
    "letter_date",
    "expected",
    "activated",
    "note",
    "time_from",
    "time_to",
]
TEXT_FIELDS = ("location", "institution", "letter_number", "note")
# The longest each may be: a note is a few sentences (a megabyte of note made the list answer
# hundreds of MB).
NOTE_MAX = 1000
TEXT_MAX = {"location": 200, "institution": 200, "letter_number": 100, "note": NOTE_MAX}
RESULT_FIELDS = ["status", "held_on", "activated", "note"]


@dataclass
class VisitData:
    """A visit as a form or the API hands it over, checked field by field already."""

    region: Region
    place: str
    location: str
    status: str
    planned_on: dt.date
    officers: list[User]
    held_on: dt.date | None = None
    expected: int | None = None
    activated: int | None = None
    failed: dict[str, int] = field(default_factory=dict)  # reason code → people
    institution: str = ""
    origin: str = Visit.Origin.SCHEDULED
    letter_number: str = ""
    letter_date: dt.date | None = None
    note: str = ""
    client_id: uuid.UUID | None = None
    time_from: dt.time | None = None  # the hours it serves people, when known
    time_to: dt.time | None = None

    def values(self) -> dict:
        """The fields as stored: free text masked, should a NIK have passed the rules (a
        caller that skipped visit_problems); nothing raw reaches the table."""
        return {
            name: nik_mask_text(getattr(self, name)) if name in TEXT_FIELDS else getattr(self, name)
            for name in VISIT_FIELDS
        }


def visit_problems(data: VisitData, *, today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with a visit, one message per field (empty when nothing is)."""
    today = today or today_jakarta()
    problems = {}
    held = data.status == Visit.Status.HELD
    if held:
        if data.held_on is None:
            problems["held_on"] = _("Isi tanggal pelaksanaan kegiatan yang terlaksana.")
        elif data.held_on > today:
            problems["held_on"] = _("Tanggal pelaksanaan tidak boleh setelah hari ini.")
        if data.activated is None:
            problems["activated"] = _("Isi jumlah orang yang berhasil aktivasi (0 jika tidak ada).")
    else:
        if data.held_on is not None:
            problems["held_on"] = _("Tanggal pelaksanaan hanya untuk kegiatan yang terlaksana.")
        if data.activated is not None or any(data.failed.values()):
            problems["activated"] = _("Hasil hanya dicatat untuk kegiatan yang terlaksana.")
    for name in ("expected", "activated"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= MAX_PEOPLE and name not in problems:
            problems[name] = _("Jumlah harus antara 0 dan %(max)s.") % {"max": MAX_PEOPLE}
    if any(n < 0 or n > MAX_PEOPLE for n in data.failed.values()):
        problems["failed"] = _("Jumlah per alasan harus antara 0 dan %(max)s.") % {
            "max": MAX_PEOPLE
        }
    if data.region.level not in (Region.Level.DESA, Region.Level.KELURAHAN):
        problems["region"] = _("Pilih desa atau kelurahan tempat kegiatan.")
    if not data.officers:
        problems["officers"] = _("Sebutkan sedikitnya satu petugas.")
    if data.origin == Visit.Origin.REQUEST and not data.letter_number.strip():
        problems["letter_number"] = _("Kegiatan atas permintaan perlu nomor surat permintaannya.")
    if data.time_to and not data.time_from:
        problems["time_from"] = _("Isi juga jam mulai.")
    elif data.time_from and data.time_to and data.time_to <= data.time_from:
        problems["time_to"] = _("Jam selesai harus sesudah jam mulai.")
    if data.letter_date and data.letter_date > today:
        problems["letter_date"] = _("Tanggal surat tidak boleh setelah hari ini.")
    for name in DATE_FIELDS:
        day = getattr(data, name)
        if day and not DATES[0] <= day <= DATES[1] and name not in problems:
            problems[name] = str(DATES_MESSAGE)
    for name in TEXT_FIELDS:
        text = getattr(data, name) or ""
        if len(text) > TEXT_MAX[name]:
            problems[name] = _("Paling panjang %(n)s karakter.") % {"n": TEXT_MAX[name]}
        elif nik_in_text(text):  # the privacy boundary for what a person types (docs/privacy.md)
            problems.setdefault(name, str(NIK_IN_TEXT_MESSAGE))
    return problems


def _failures_replace(visit: Visit, failed: dict[str, int]) -> None:
    VisitFailure.objects.filter(visit=visit).delete()
    VisitFailure.objects.bulk_create(
        VisitFailure(visit=visit, reason_id=code, people=n) for code, n in failed.items() if n
    )


def _audit_visit(visit: Visit, *, by: User | None, change: str) -> None:
    audit(
        AuditEvent.Action.VISIT_SAVE,
        user=by,
        target=f"{visit.pk} {visit.location}",
        change=change,
        status=visit.status,
        activated=visit.activated,
    )


class ClientIdTaken(Exception):
    """The entry's client id is a visit this account may not see: not its to change or read."""


def visit_record(*, data: VisitData, by: User | None) -> tuple[Visit, str]:
    """Store an entry sent from a phone, once: returns the visit and what happened to it.

    `created`: a new visit. `result`: the entry carries the result of a visit still planned
    under the same client id (the phone had it from the calendar). `unchanged`: this client id
    is known and nothing is left to record — the same entry sent again, by a retry or by two
    requests at once (the unique client id makes the second insert wait for the first and
    fail, and get_or_create then reads the winner's row). Corrections of a held or cancelled
    visit go through its page, so a stale entry from a phone never overwrites them. A client
    id that is a visit beyond `by`'s reach raises ClientIdTaken: nobody learns of, or changes,
    another's visit.
    """
    client_id = data.client_id or uuid.uuid4()
    existing = Visit.objects.filter(client_id=client_id).values_list("pk", flat=True).first()
    if existing and by is not None and not visits_for_user(by).filter(pk=existing).exists():
        raise ClientIdTaken(client_id)
    with transaction.atomic():
        visit, created = Visit.objects.get_or_create(
            client_id=client_id, defaults={**data.values(), "created_by": by}
        )
        if created:
            visit.officers.set(data.officers)
            _failures_replace(visit, data.failed)
            _audit_visit(visit, by=by, change="created")
            return visit, "created"
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != Visit.Status.PLANNED or data.status == Visit.Status.PLANNED:
            return visit, "unchanged"
        visit.status, visit.held_on, visit.activated = data.status, data.held_on, data.activated
        # The planner's note stays unless the phone adds one.
        visit.note = nik_mask_text(data.note) or visit.note
        visit.save(update_fields=[*RESULT_FIELDS, "updated_at"])
        visit.officers.set(data.officers)
        _failures_replace(visit, data.failed)
        _audit_visit(visit, by=by, change="result")
        return visit, "result"


def visit_save(*, visit: Visit, data: VisitData, by: User | None) -> Visit:
    """Create or change a visit from a form (planning, or correcting a result), in one
    transaction."""
    created = visit.pk is None
    for name, value in data.values().items():
        setattr(visit, name, value)
    with transaction.atomic():
        if created:
            visit.created_by = by
            visit.save()
        else:
            visit.save(update_fields=[*VISIT_FIELDS, "updated_at"])
        visit.officers.set(data.officers)
        _failures_replace(visit, data.failed if data.status == Visit.Status.HELD else {})
        _audit_visit(visit, by=by, change="created" if created else "edited")
    return visit


def visit_failed(visit: Visit) -> dict[str, int]:
    """The visit's failures as reason code → people."""
    return {f.reason_id: f.people for f in visit.failures.all()}


def reason_save(*, reason: FailureReason, by: User) -> FailureReason:
    """Save a reason an Admin edited or added, and say so in the audit trail."""
    with transaction.atomic():
        if reason._state.adding:
            reason.save()
        else:
            reason.save(update_fields=["name", "retryable", "active", "sort_order"])
        audit(
            AuditEvent.Action.REASON_SAVE,
            user=by,
            target=reason.code,
            name=reason.name,
            retryable=reason.retryable,
            active=reason.active,
        )
    return reason
