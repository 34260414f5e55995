"""JSON API v1: progress of a region as of a date (shape documented in docs/api.md)."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from ..accounts.access import region_get_for_user, user_scope
from ..accounts.privacy import progress_for_viewer
from ..nik import nik_mask_text
from ..progress.compute import FIGURE_FIELDS
from ..progress.selectors import RegionProgress, progress_for_region
from ..regions import region_root
from ..uploads.validate import IKD_START

# Dates the figures can be asked for: IKD's start to a date the calendar arithmetic of the
# projections (years ahead) never overflows.
AS_OF_RANGE = (IKD_START, dt.date(2999, 12, 31))


def _figures(row: dict) -> dict:
    return {name: row[name] for name in FIGURE_FIELDS}


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
        "combined": progress.combined,
    }


class ProgressView(APIView):
    def get(self, request):
        code = request.query_params.get("region")
        try:
            if code:
                region = region_get_for_user(user=request.user, code=code)
            else:
                region = user_scope(request.user) or region_root()
        except Http404:
            region = None
        if region is None:
            shown = nik_mask_text(code, limit=40)  # never echo a NIK, nor a megabyte
            return Response({"error": f"Wilayah {shown!r} tidak ditemukan."}, status=404)
        as_of = request.query_params.get("as_of")
        if as_of:
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                shown = nik_mask_text(as_of, limit=40)
                return Response(
                    {"error": f"as_of {shown!r} bukan tanggal YYYY-MM-DD yang valid."}, status=400
                )
            if not AS_OF_RANGE[0] <= as_of <= AS_OF_RANGE[1]:
                message = f"as_of {as_of.isoformat()} di luar rentang data (2022 dan sesudahnya)."
                return Response({"error": message}, status=400)
        progress = progress_for_viewer(
            progress_for_region(region=region, as_of=as_of or None),
            user=request.user,
            shown_as=None,
        )
        if progress is None:
            return Response({"error": "Belum ada data capaian."}, status=404)
        return Response(progress_as_json(progress))
