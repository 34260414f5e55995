"""JSON API v1 for institutions: progress per institution, and check my list (docs/api.md)."""

import datetime as dt

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from ikd_dashboard.bounds import IKD_START
from ikd_dashboard.numbers import float_or_none, rounded_float

from ..accounts.access import (
    region_get_for_user,
    user_is_admin,
    user_may_read_institutions,
    user_scope,
)
from ..models import Institution
from ..nik import nik_mask_text
from ..progress.disclosure import institutions_for_viewer
from ..regions import code_with_dots, region_root
from .check import (
    CheckRefused,
    check_limits,
    keep_uploads_in_memory,
    list_too_large,
    roster_check,
)
from .selectors import institution_figures, institutions_latest_date
from .views import checked_list_response


class InstitutionReaders(BasePermission):
    def has_permission(self, request, view):
        return user_may_read_institutions(request.user)


class Refused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _as_of(text: str | None, latest: dt.date) -> dt.date:
    if not text:
        return latest
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        shown = nik_mask_text(text, limit=40)
        raise Refused(
            _("as_of '%(value)s' bukan tanggal YYYY-MM-DD yang valid.") % {"value": shown}, 400
        ) from None
    if day < IKD_START:
        raise Refused(
            _("as_of %(date)s sebelum ada data (2022 dan sesudahnya).") % {"date": day.isoformat()},
            400,
        )
    if day > latest:
        raise Refused(
            _("Data baru tersedia sampai %(date)s; pilih tanggal itu atau sebelumnya.")
            % {"date": formats.date_format(latest, "DATE_FORMAT")},
            400,
        )
    return day


def _region(request):
    code = code_with_dots(request.query_params.get("region") or "")
    try:
        region = (
            region_get_for_user(user=request.user, code=code)
            if code
            else user_scope(request.user) or region_root()
        )
    except Http404:
        region = None
    if region is None:
        shown = nik_mask_text(code, limit=40)
        raise Refused(_("Wilayah '%(code)s' tidak ditemukan.") % {"code": shown}, 404)
    return region


class InstitutionListView(APIView):
    permission_classes = [InstitutionReaders]

    def get(self, request):
        kind = request.query_params.get("kind") or None
        try:
            region = _region(request)
            as_of = _as_of(request.query_params.get("as_of"), institutions_latest_date())
            if kind and kind not in Institution.Kind.values:
                raise Refused(
                    _("kind '%(kind)s' tidak dikenal; gunakan %(kinds)s.")
                    % {
                        "kind": nik_mask_text(kind, limit=40),
                        "kinds": ", ".join(Institution.Kind.values),
                    },
                    400,
                )
        except Refused as refused:
            return Response({"error": refused.message}, status=refused.status)
        rows = institution_figures(as_of=as_of, region=region, kind=kind)
        table = institutions_for_viewer(rows, user=request.user, shown_as=None)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "institutions": [
                    {
                        "code": r["code"],
                        "name": r["name"],
                        "kind": r["kind"],
                        "region": r["region"],
                        "members": r["members"],
                        "members_counted": r["members_counted"],
                        "activated": r["activated"],
                        "percent": rounded_float(r["percent"]),
                        "target_percent": float_or_none(r["target_percent"]),
                        "gap_people": r["gap_people"],
                        "outside_kabupaten": r["outside"],
                        # Fewer than five members: counts null for a viewer who may not see them.
                        "small": bool(r.get("masked")),
                    }
                    for r in table.rows
                ],
            }
        )


class WholeKabupatenAdmins(BasePermission):
    """Admins of the whole kabupaten: the activation store is matched whole, so an Admin limited
    to a kecamatan could learn of people outside it."""

    def has_permission(self, request, view):
        return user_is_admin(request.user) and user_scope(request.user) is None


class RosterCheckView(APIView):
    permission_classes = [WholeKabupatenAdmins]

    def initialize_request(self, request, *args, **kwargs):
        keep_uploads_in_memory(request)  # before authentication's CSRF check reads the body
        return super().initialize_request(request, *args, **kwargs)

    def post(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            if list_too_large(request._request):
                message = _("Berkas terlalu besar untuk cek daftar; batasnya %(size)s.")
                return Response({"error": message % check_limits()}, status=413)
            message = _("Kirim berkas pada kolom 'file' (multipart/form-data).")
            return Response({"error": message}, status=400)
        try:
            result = roster_check(uploaded_file=uploaded, user=request.user)
        except CheckRefused as refusal:
            return Response({"error": str(refusal)}, status=refusal.status)
        response = checked_list_response(result)
        response["X-IKD-Rows"], response["X-IKD-Found"] = str(result.rows), str(result.found)
        return response
