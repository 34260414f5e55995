"""JSON API v1 for outreach: record and list visits, yield, where to go next (docs/api.md)."""

import datetime as dt

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from ikd_dashboard.numbers import rounded_float

from ..accounts.access import (
    region_get_for_user,
    user_may_read_visits,
    user_may_record_visits,
    user_scope,
    visit_regions_for_user,
    visits_for_user,
)
from ..models import FailureReason, Region, Visit
from ..nik import nik_mask_text
from ..progress.selectors import progress_latest_as_of
from ..regions import code_with_dots, region_root
from .planning import where_next
from .selectors import outreach_as_of, visits_filtered
from .visits import (
    MAX_PEOPLE,
    NOTE_MAX,
    ClientIdTaken,
    VisitData,
    visit_failed,
    visit_problems,
    visit_record,
)
from .yields import outreach_yield

LIST_LIMIT = 500
NEXT_MAX = 500


class OutreachPermission(BasePermission):
    """Every office role reads; Petugas and Admins write (their scope is checked per visit)."""

    def has_permission(self, request, view):
        if request.method == "POST":
            return user_may_record_visits(request.user)
        return user_may_read_visits(request.user)


class VisitSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    region = serializers.CharField(max_length=20)
    place = serializers.ChoiceField(choices=Visit.Place.values)
    location = serializers.CharField(max_length=200)
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True)
    origin = serializers.ChoiceField(choices=Visit.Origin.values, required=False)
    letter_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    letter_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Visit.Status.values)
    planned_on = serializers.DateField(required=False, allow_null=True)
    held_on = serializers.DateField(required=False, allow_null=True)
    # The hours it serves people (the open page shows them), "08:00"; optional.
    time_from = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    time_to = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    officers = serializers.ListField(child=serializers.CharField(), required=False)
    expected = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_PEOPLE
    )
    activated = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_PEOPLE
    )
    failed = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE), required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)
    # The account that saved the entry on the phone (js/outreach-entry.js): an entry is sent by
    # its author only, never with another account's session on the same phone.
    author = serializers.CharField(required=False, allow_blank=True, max_length=150)

    def validate_author(self, author):
        me = self.context["user"].get_username()
        if author and author != me:
            raise serializers.ValidationError(
                _(
                    "Catatan ini disimpan di ponsel oleh akun %(author)s, bukan %(me)s: masuk "
                    "sebagai %(author)s untuk mengirimnya."
                )
                % {"author": _shown(author), "me": me}
            )
        return author

    def validate_region(self, code):
        code = code_with_dots(code)  # 3311012001 = 33.11.01.2001, as the uploads accept it
        region = visit_regions_for_user(self.context["user"]).filter(code=code).first()
        if region is None:
            raise serializers.ValidationError(
                _("Desa/kelurahan '%(code)s' tidak dikenal atau di luar wilayah Anda.")
                % {"code": _shown(code)}
            )
        return region

    def validate_officers(self, usernames):
        users = list(User.objects.filter(username__in=usernames, is_active=True))
        unknown = sorted(set(usernames) - {u.username for u in users})
        if unknown:
            raise serializers.ValidationError(
                _("Petugas tidak dikenal: %(names)s.") % {"names": _shown(", ".join(unknown))}
            )
        return users

    def validate_failed(self, failed):
        known = set(FailureReason.objects.filter(active=True).values_list("code", flat=True))
        unknown = sorted(set(failed) - known)
        if unknown:
            raise serializers.ValidationError(
                _("Alasan tidak dikenal: %(codes)s.") % {"codes": _shown(", ".join(unknown))}
            )
        return failed

    def validate(self, attrs):
        planned_on = attrs.get("planned_on") or attrs.get("held_on")
        if planned_on is None:
            raise serializers.ValidationError(
                {"planned_on": _("Isi tanggal rencana (YYYY-MM-DD).")}
            )
        data = VisitData(
            client_id=attrs["client_id"],
            region=attrs["region"],
            place=attrs["place"],
            location=attrs["location"],
            institution=attrs.get("institution", ""),
            origin=attrs.get("origin") or Visit.Origin.SCHEDULED,
            letter_number=attrs.get("letter_number", ""),
            letter_date=attrs.get("letter_date"),
            status=attrs["status"],
            planned_on=planned_on,
            held_on=attrs.get("held_on"),
            time_from=attrs.get("time_from"),
            time_to=attrs.get("time_to"),
            officers=attrs.get("officers") or [self.context["user"]],
            expected=attrs.get("expected"),
            activated=attrs.get("activated"),
            failed={code: n for code, n in (attrs.get("failed") or {}).items() if n},
            note=attrs.get("note", ""),
        )
        problems = visit_problems(data)
        if problems:
            raise serializers.ValidationError(problems)
        return data


def visit_json(visit: Visit) -> dict:
    return {
        "id": visit.pk,
        "client_id": str(visit.client_id),
        "region": visit.region_id,
        "region_name": visit.region.name,
        "kecamatan": visit.region.parent.name if visit.region.parent_id else None,
        "place": visit.place,
        "location": visit.location,
        "institution": visit.institution,
        "origin": visit.origin,
        "letter_number": visit.letter_number,
        "letter_date": _iso(visit.letter_date),
        "status": visit.status,
        "planned_on": _iso(visit.planned_on),
        "held_on": _iso(visit.held_on),
        "time_from": visit.time_from.strftime("%H:%M") if visit.time_from else None,
        "time_to": visit.time_to.strftime("%H:%M") if visit.time_to else None,
        "officers": sorted(o.username for o in visit.officers.all()),
        "expected": visit.expected,
        "activated": visit.activated,
        "failed": visit_failed(visit),
        "note": visit.note,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _shown(value: str) -> str:
    """A value sent to us, as an error message may quote it: never a NIK, nor a megabyte."""
    return nik_mask_text(value, limit=40)


class BadQuery(Exception):
    pass


def _date(request, name: str) -> dt.date | None:
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadQuery(
            _("%(name)s '%(value)s' bukan tanggal YYYY-MM-DD yang valid.")
            % {"name": name, "value": _shown(text)}
        ) from None


def _region(request) -> Region:
    code = code_with_dots(request.query_params.get("region") or "")  # 331109 = 33.11.09
    if code:
        return region_get_for_user(user=request.user, code=code)
    region = user_scope(request.user) or region_root()
    if region is None:
        raise Http404
    return region


def _region_and_period(request) -> tuple[Region, dt.date | None, dt.date | None]:
    """`region`, `since` and `until` from the query; BadQuery (400) or Http404 when wrong."""
    return _region(request), _date(request, "since"), _date(request, "until")


def _refusal(error: Exception, request) -> Response:
    if isinstance(error, BadQuery):
        return Response({"error": str(error)}, status=400)
    code = _shown(request.query_params.get("region") or "")
    return Response({"error": _("Wilayah '%(code)s' tidak ditemukan.") % {"code": code}}, 404)


def _errors(errors: dict) -> dict:
    """One message per field, as the API documents it."""
    return {
        name: messages[0] if isinstance(messages, list) else messages
        for name, messages in errors.items()
    }


class VisitListView(APIView):
    permission_classes = [OutreachPermission]

    def post(self, request):
        serializer = VisitSerializer(data=request.data, context={"user": request.user})
        if not serializer.is_valid():
            return Response({"errors": _errors(serializer.errors)}, status=400)
        try:
            visit, outcome = visit_record(data=serializer.validated_data, by=request.user)
        except ClientIdTaken:
            return Response({"errors": {"client_id": _("client_id sudah dipakai.")}}, status=409)
        visit = visits_filtered(Visit.objects.filter(pk=visit.pk)).get()
        body = {**visit_json(visit), "outcome": outcome}
        return Response(body, status=201 if outcome == "created" else 200)

    def get(self, request):
        try:
            region, since, until = _region_and_period(request)
        except (Http404, BadQuery) as error:
            return _refusal(error, request)
        status = request.query_params.get("status")
        if status and status not in Visit.Status.values:
            return Response(
                {"error": _("status '%(value)s' tidak dikenal.") % {"value": _shown(status)}},
                status=400,
            )
        visits = visits_filtered(
            visits_for_user(request.user), region=region, since=since, until=until, status=status
        )
        listed = list(visits[:LIST_LIMIT])
        return Response(
            {"count": len(listed), "limit": LIST_LIMIT, "visits": [visit_json(v) for v in listed]}
        )


class YieldView(APIView):
    permission_classes = [OutreachPermission]

    def get(self, request):
        try:
            region, since, until = _region_and_period(request)
        except (Http404, BadQuery) as error:
            return _refusal(error, request)
        result = outreach_yield(region=region, since=since, until=until)
        return Response(
            {
                "region": region.code,
                "since": _iso(since),
                "until": _iso(until),
                "by_place": [{"place": row.key, **row.as_json()} for row in result.rows],
                "totals": result.totals.as_json(),
            }
        )


class NextView(APIView):
    permission_classes = [OutreachPermission]

    def get(self, request):
        try:
            region = _region(request)
            n = int(request.query_params.get("n") or 10)
        except Http404 as error:
            return _refusal(error, request)
        except ValueError:
            return Response({"error": _("n harus bilangan bulat.")}, status=400)
        if not 1 <= n <= NEXT_MAX:
            return Response(
                {"error": _("n harus antara 1 dan %(max)s.") % {"max": NEXT_MAX}}, status=400
            )
        reference = outreach_as_of()
        items = where_next(region=region, reference=reference, n=n)
        keys = ("code", "name", "gap_people", "days_since", "retryable_waiting")
        return Response(
            {
                "as_of": reference.isoformat(),
                # The day the gaps are computed for: the data date, "data lengkap s.d."
                "gap_as_of": _iso(progress_latest_as_of()),
                "items": [
                    {
                        **{k: item[k] for k in keys},
                        "last_visit_on": _iso(item["last_visit_on"]),
                        "kecamatan": item["kecamatan"],
                        "best_place": item["best_place"],
                        "percent": rounded_float(item["percent"]),
                    }
                    for item in items
                ],
            }
        )
