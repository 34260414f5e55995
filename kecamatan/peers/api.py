"""JSON API v1: the peers' table of a scope on a date, ranked, with us (docs/api.md).

GET /api/v1/peers/?scope=province|national&as_of=YYYY-MM-DD — `as_of` defaults to the latest
date with a table of that scope; a date without one is a 404 that names the dates there are."""

import datetime as dt

from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import APIView

from ikd_dashboard.numbers import rounded_float

from ..models import PeerFigure
from .ranking import PeerTable, peer_dates, peer_table
from .reference import kabkota_all
from .standing import our_code

SCOPES = {"province": PeerFigure.Scope.PROVINCE, "national": PeerFigure.Scope.NATIONAL}


def peers_json(table: PeerTable) -> dict:
    us = table.us
    return {
        "as_of": table.as_of.isoformat(),
        "scope": table.scope,
        "source": table.source,
        "items": [
            {
                "code": row.code,
                "name": row.name,
                "province": row.province,
                "denominator_people": row.denominator,
                "activated": row.activated,
                "percent": rounded_float(row.percent),
                "rank": row.rank,
                "pace_per_day": rounded_float(row.pace_per_day),
            }
            for row in table.rows
        ],
        "us": {
            "code": us.code if us else None,
            "rank": us.rank if us else None,
            "of": table.of,
            "percent": rounded_float(us.percent) if us else None,
            "median_percent": rounded_float(table.median_percent),
        },
    }


class PeersView(APIView):
    def get(self, request):
        scope = SCOPES.get(request.query_params.get("scope") or "province")
        if scope is None:
            return Response({"error": _("scope harus province atau national.")}, status=400)
        us = our_code()
        if us is None:
            return Response({"error": _("Wilayah kantor ini bukan kabupaten/kota.")}, status=404)
        as_of = None
        if text := request.query_params.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(text)
            except ValueError:
                return Response(
                    {"error": _("as_of bukan tanggal YYYY-MM-DD yang valid.")}, status=400
                )
        province = kabkota_all()[us].province_code if scope == PeerFigure.Scope.PROVINCE else None
        dates = peer_dates(scope, province_code=province)
        table = peer_table(scope=scope, us_code=us, as_of=as_of, dates=dates)
        if table is None:
            return Response(
                {
                    "error": _("Tidak ada tabel %(scope)s pada tanggal itu.") % {"scope": scope},
                    "dates": [d.isoformat() for d in dates],
                },
                status=404,
            )
        return Response(peers_json(table))
