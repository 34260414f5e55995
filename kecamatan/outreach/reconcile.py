"""Reported vs recorded: what officers reported at held visits against the activations the
uploaded files record for the same desa, date and place type — neither source trusted blindly.

People at a school or a market often live in other desa of the kecamatan, so the activations of
the same date and place type in the whole kecamatan are shown beside the desa's own.

A visit on a day after its kecamatan's last uploaded file has nothing to be compared with yet:
it is "belum diunggah", kept out of the difference, never shown as over-reporting.
"""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Activation, Region
from ..progress.datadate import kecamatan_reported_through
from .yields import held_visits


def _recorded(**match) -> Subquery:
    counted = (
        Activation.objects.filter(**match)
        .order_by()
        .values("place")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def reported_vs_recorded(*, region: Region, since: dt.date | None, until: dt.date | None) -> dict:
    """Per desa, date and place type with a held visit: the visits, the activations they
    reported, those recorded in the files there, and those recorded in the whole kecamatan.
    One query: a GROUP BY with two correlated counts on the activations' (region, date) index."""
    groups = (
        held_visits(region=region, since=since, until=until)
        .values(
            "region_id",
            "region__name",
            "region__parent_id",
            "region__parent__name",
            "held_on",
            "place",
        )
        .annotate(
            visits=Count("pk"),
            reported=Sum("activated"),
            recorded=_recorded(
                region_id=OuterRef("region_id"),
                activated_on=OuterRef("held_on"),
                place=OuterRef("place"),
            ),
            recorded_kecamatan=_recorded(
                region__parent_id=OuterRef("region__parent_id"),
                activated_on=OuterRef("held_on"),
                place=OuterRef("place"),
            ),
        )
        .order_by("-held_on", "region__name", "place")
    )
    reported_through = kecamatan_reported_through()
    rows = []
    for g in groups:
        through = reported_through.get(g["region__parent_id"])
        uploaded = through is not None and g["held_on"] <= through
        rows.append(
            {
                **g,
                "uploaded": uploaded,
                "reported_through": through,
                "difference": g["reported"] - g["recorded"] if uploaded else None,
                "place_label": Activation.Place(g["place"]).label,
            }
        )
    compared = [r for r in rows if r["uploaded"]]
    totals = {
        name: sum(r[name] for r in compared)
        for name in ("visits", "reported", "recorded", "recorded_kecamatan")
    }
    totals["difference"] = totals["reported"] - totals["recorded"]
    waiting = [r for r in rows if not r["uploaded"]]
    totals["waiting_visits"] = sum(r["visits"] for r in waiting)
    totals["waiting_reported"] = sum(r["reported"] for r in waiting)
    return {"rows": rows, "totals": totals}
