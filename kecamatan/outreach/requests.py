"""Visits asked for on the open page, and the planned visits it announces to residents.

A school, an office or a community asks for a visit (visit_request_create), at most
PUBLIC_REQUESTS_PER_HOUR times an hour from one address. An Admin accepts it into the plan — a
planned Visit of origin "request", through the same rules and audit trail as any planned visit
(visits.visit_save) — or declines it with a reason the requester reads on their status page.
Each decision is a conditional update whose row count says whether this click won: a second
click, or a second Admin at the same moment, changes nothing.

What the open page announces: the next PUBLIC_DAYS days' planned visits at places anyone may
come to (balai desa, kantor kecamatan, pasar, the office itself, other public places). A visit
to a school, an office, or a group that asked for it serves that group's own people: left out.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts.audit import audit
from ..models import AuditEvent, Visit, VisitRequest
from ..nik import nik_mask_text
from .visits import NOTE_MAX, VisitData, visit_save

PUBLIC_DAYS = 14
PUBLIC_PLACES = (
    Visit.Place.DESA,
    Visit.Place.KECAMATAN,
    Visit.Place.PASAR,
    Visit.Place.DINAS,
    Visit.Place.LAINNYA,
)
# The place type a group's visit is planned at, unless the Admin picks another.
KIND_PLACES = {
    VisitRequest.Kind.SEKOLAH: Visit.Place.SEKOLAH,
    VisitRequest.Kind.INSTANSI: Visit.Place.INSTANSI,
    VisitRequest.Kind.PERUSAHAAN: Visit.Place.LAINNYA,
    VisitRequest.Kind.KOMUNITAS: Visit.Place.LAINNYA,
    VisitRequest.Kind.LAINNYA: Visit.Place.LAINNYA,
}
# Masked should a NIK pass the form; not the contact, a phone number the form checked whole
# (the mask takes any run of 11 digits, as a phone number is).
REQUEST_TEXT_FIELDS = ("requester", "group_name", "location", "note")


def visits_for_public(*, today: dt.date) -> list[dict]:
    """The planned visits residents may come to from `today` for PUBLIC_DAYS days, by day
    and hour: place name, desa, kecamatan and the hours when the planner gave them. Nothing
    else of a visit (officers, notes, who asked) leaves the office."""
    visits = (
        Visit.objects.filter(
            status=Visit.Status.PLANNED,
            origin=Visit.Origin.SCHEDULED,
            place__in=PUBLIC_PLACES,
            planned_on__gte=today,
            planned_on__lt=today + dt.timedelta(days=PUBLIC_DAYS),
        )
        .order_by(
            "planned_on", F("time_from").asc(nulls_last=True), "region__name", "location", "pk"
        )
        .values(
            "planned_on",
            "time_from",
            "time_to",
            "place",
            "location",
            "region__code",
            "region__name",
            "region__level",
            "region__parent__name",
        )
    )
    days: dict[dt.date, list[dict]] = {}
    for v in visits:
        days.setdefault(v["planned_on"], []).append(
            {
                "location": v["location"],
                "place": v["place"],
                "desa": v["region__name"],
                "kelurahan": v["region__level"] == "kelurahan",
                "kecamatan": v["region__parent__name"],
                "time_from": v["time_from"],
                "time_to": v["time_to"],
            }
        )
    return [{"day": day, "visits": items} for day, items in days.items()]


# --- asking -----------------------------------------------------------------------------------


class RequestLimited(Exception):
    """Too many requests from one address this hour."""


def request_count(*, client: str) -> None:
    """Count a request from `client` (an IP address, kept only as a hash in the shared cache)
    and raise RequestLimited past PUBLIC_REQUESTS_PER_HOUR in this clock hour."""
    now = timezone.localtime()
    address = hashlib.sha256(client.encode()).hexdigest()[:32]
    key = f"ikd:visit-request:{address}:{now:%Y%m%d%H}"
    cache.add(key, 0, 3600)
    if cache.incr(key) > settings.PUBLIC_REQUESTS_PER_HOUR:
        raise RequestLimited(
            _(
                "Terlalu banyak permintaan dari jaringan ini: paling banyak %(n)s per jam. "
                "Coba lagi setelah pukul %(hour)02d.00."
            )
            % {"n": settings.PUBLIC_REQUESTS_PER_HOUR, "hour": (now.hour + 1) % 24}
        )


def visit_request_create(*, values: dict) -> VisitRequest:
    """Store a request from the open page (checked by its form). Free text is masked should
    a NIK have passed the form: nothing raw reaches the table."""
    values = {
        name: nik_mask_text(value) if name in REQUEST_TEXT_FIELDS else value
        for name, value in values.items()
    }
    visit_request = VisitRequest(**values)
    visit_request.full_clean()
    visit_request.save()
    return visit_request


# --- deciding ---------------------------------------------------------------------------------


def requests_new_first(requests: QuerySet) -> QuerySet:
    """Those waiting for a decision first (oldest first: they have waited longest), then the
    decided ones, latest decision first."""
    waiting = Case(
        When(status=VisitRequest.Status.NEW, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return requests.annotate(waiting=waiting).order_by(
        "waiting", F("decided_at").desc(nulls_last=True), "created_at", "pk"
    )


def request_visit_data(
    *,
    visit_request: VisitRequest,
    planned_on: dt.date,
    place: str,
    officers: list[User],
    time_from: dt.time | None = None,
    time_to: dt.time | None = None,
) -> VisitData:
    """The planned visit a request becomes: its place and desa, the group as the institution,
    its expected people; the request's number stands for the letter a visit on request cites.
    Whom to call is on the visit's page, read from the request (a phone number in a visit's
    note would be masked as a NIK is)."""
    note = _("Permintaan dari halaman publik.")
    if visit_request.note:
        note += " " + visit_request.note
    return VisitData(
        region=visit_request.region,
        place=place,
        location=visit_request.location,
        institution=visit_request.group_name,
        origin=Visit.Origin.REQUEST,
        letter_number=request_number(visit_request),
        letter_date=timezone.localdate(visit_request.created_at),
        status=Visit.Status.PLANNED,
        planned_on=planned_on,
        time_from=time_from,
        time_to=time_to,
        officers=officers,
        expected=visit_request.expected,
        note=note[:NOTE_MAX],
    )


def request_number(visit_request: VisitRequest) -> str:
    return _("Permintaan publik no. %(n)s") % {"n": visit_request.pk}


def _decided(visit_request: VisitRequest, *, by: User, **values) -> bool:
    """Mark the request decided if it still waits; True when this call did it."""
    won = VisitRequest.objects.filter(pk=visit_request.pk, status=VisitRequest.Status.NEW).update(
        decided_by=by, decided_at=timezone.now(), **values
    )
    return won == 1


def visit_request_accept(*, visit_request: VisitRequest, data: VisitData, by: User) -> Visit | None:
    """Accept the request into the plan: the planned visit `data` (request_visit_data, checked
    by the form). None when it was decided already (by another click or Admin)."""
    with transaction.atomic():
        if not _decided(visit_request, by=by, status=VisitRequest.Status.ACCEPTED):
            return None
        visit = visit_save(visit=Visit(), data=data, by=by)
        VisitRequest.objects.filter(pk=visit_request.pk).update(visit=visit)
        audit(
            AuditEvent.Action.VISIT_REQUEST,
            user=by,
            target=f"{visit_request.pk} {visit_request.group_name}",
            decision="accepted",
            visit=visit.pk,
            planned_on=visit.planned_on.isoformat(),
        )
    return visit


def visit_request_decline(*, visit_request: VisitRequest, reason: str, by: User) -> bool:
    """Decline the request with a reason the requester reads. False when it was decided."""
    reason = nik_mask_text(reason.strip())
    with transaction.atomic():
        if not _decided(
            visit_request, by=by, status=VisitRequest.Status.DECLINED, decline_reason=reason
        ):
            return False
        audit(
            AuditEvent.Action.VISIT_REQUEST,
            user=by,
            target=f"{visit_request.pk} {visit_request.group_name}",
            decision="declined",
            reason=reason,
        )
    return True


# A requester's name and contact are needed while the visit is arranged and held; a year after
# the decision (or a year after asking, never decided) they are deleted (docs/privacy.md).
KEEP_DAYS = 365


def visit_requests_forget(*, now: dt.datetime | None = None) -> int:
    """Delete the requests decided more than KEEP_DAYS ago, and those asked that long ago and
    never decided; the visits they became stay. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    old = VisitRequest.objects.filter(decided_at__lt=cutoff) | VisitRequest.objects.filter(
        decided_at__isnull=True, created_at__lt=cutoff
    )
    deleted, _by_model = old.delete()
    return deleted
