"""JSON API v1: progress of a region as of a date (shape documented in docs/api.md)."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from ..accounts.access import region_get_for_user, user_scope
from ..accounts.privacy import progress_for_viewer
from ..progress.compute import FIGURE_FIELDS
from ..progress.selectors import RegionProgress, progress_for_region
from ..regions import region_root


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
            return Response({"error": f"Wilayah {code!r} tidak ditemukan."}, status=404)
        as_of = request.query_params.get("as_of")
        if as_of:
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                return Response(
                    {"error": f"as_of {as_of!r} bukan tanggal YYYY-MM-DD yang valid."}, status=400
                )
        progress = progress_for_viewer(
            progress_for_region(region=region, as_of=as_of or None),
            user=request.user,
            shown_as=None,
        )
        if progress is None:
            return Response({"error": "Belum ada data capaian."}, status=404)
        return Response(progress_as_json(progress))
