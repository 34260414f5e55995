"""JSON API v1: progress of a region as of a date (shape documented in docs/api.md)."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ikd_dashboard.bounds import ASKED_DATES
from ikd_dashboard.numbers import rounded

from ..accounts.access import region_get_for_user, user_scope
from ..nik import nik_mask_text
from ..progress.compute import FIGURE_FIELDS
from ..progress.disclosure import progress_for_viewer
from ..progress.runs import recompute_status
from ..progress.selectors import RegionProgress, progress_for_region
from ..regions import code_with_dots, region_root
from ..vocabulary import projection_of

# Dates the figures can be asked for: IKD's start to a date the calendar arithmetic of the
# projections (years ahead) never overflows.


def _figures(row: dict) -> dict:
    # Ratios are kept exact and rounded once here, to the documented 2 decimals.
    figures = {
        name: rounded(row[name]) if isinstance(row[name], Decimal) else row[name]
        for name in FIGURE_FIELDS
    }
    # The same words as the pages: where the current pace leads (docs/api.md).
    figures["projection"] = projection_of(row).kind if row.get("percent") is not None else None
    figures["milestone_people"] = row.get("milestone_people")
    # What `holders` and `percent` are of: perekaman, wajib_ktp or penduduk (docs/api.md).
    figures["denominator"] = row.get("denominator")
    return figures


def progress_as_json(progress: RegionProgress) -> dict:
    region = progress.region
    computed_at = progress.computed_at
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "as_of": progress.as_of.isoformat(),
        "computed_at": timezone.localtime(computed_at).isoformat() if computed_at else None,
        "totals": _figures(progress.totals),
        "segments": [
            {"code": s["code"], "name": s["name"], **_figures(s)} for s in progress.segments
        ],
        "children": [
            {"code": c["code"], "name": c["name"], "level": c["level"], **_figures(c)}
            for c in progress.children
        ],
        # Segments a restricted viewer sees only together (docs/privacy.md); null otherwise.
        "combined": (
            {**progress.combined, "percent": rounded(progress.combined["percent"])}
            if progress.combined
            else None
        ),
    }


class ProgressView(APIView):
    def get(self, request):
        code = code_with_dots(request.query_params.get("region") or "")  # 331109 = 33.11.09
        try:
            if code:
                region = region_get_for_user(user=request.user, code=code)
            else:
                region = user_scope(request.user) or region_root()
        except Http404:
            region = None
        if region is None:
            shown = nik_mask_text(code, limit=40)  # never echo a NIK, nor a megabyte
            return Response(
                {"error": _("Wilayah '%(code)s' tidak ditemukan.") % {"code": shown}}, 404
            )
        as_of = request.query_params.get("as_of")
        if as_of:
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                shown = nik_mask_text(as_of, limit=40)
                return Response(
                    {
                        "error": _("as_of '%(value)s' bukan tanggal YYYY-MM-DD yang valid.")
                        % {"value": shown}
                    },
                    status=400,
                )
            if as_of < ASKED_DATES[0]:
                message = _("as_of %(date)s sebelum ada data (2022 dan sesudahnya).")
                return Response({"error": message % {"date": as_of.isoformat()}}, status=400)
            latest = min(recompute_status().latest_as_of or ASKED_DATES[1], ASKED_DATES[1])
            if as_of > latest:  # as the pages refuse it
                return Response(
                    {
                        "error": _(
                            "Data baru tersedia sampai %(date)s; pilih tanggal itu atau sebelumnya."
                        )
                        % {"date": formats.date_format(latest, "DATE_FORMAT")},
                        "latest": latest,
                    },
                    status=400,
                )
        progress = progress_for_viewer(
            progress_for_region(region=region, as_of=as_of or None),
            user=request.user,
            shown_as=None,
        )
        if progress is None:
            return Response({"error": _("Belum ada data capaian.")}, status=404)
        return Response(progress_as_json(progress))


def api_exception_handler(exc, context):
    """DRF's own answers, in the request's language: its Indonesian catalogue lacks some of them
    ("Invalid token."), and every error body carries `error` like ours."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    messages = {
        "Invalid token.": _("Token tidak valid."),
        "Authentication credentials were not provided.": _(
            "Belum masuk: kirim token (Authorization: Token …) atau masuk lewat halaman masuk."
        ),
        "You do not have permission to perform this action.": _(
            "Anda tidak berhak membuka data ini."
        ),
    }
    if isinstance(exc, exceptions.APIException) and isinstance(response.data, dict):
        detail = str(response.data.get("detail", ""))
        detail = messages.get(detail, detail)
        response.data = {**response.data, "detail": detail, "error": detail}
    return response
