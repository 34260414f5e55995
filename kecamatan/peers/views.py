"""The ranking page: where we stand among the province's kabupaten/kota on a table's date, how
we got there, and what the next evaluation needs. Every office role reads it."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..accounts.access import user_is_admin
from . import charts
from .sentences import evaluation_headline, evaluation_needs_sentences
from .standing import standing


def _date_asked(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return None


@login_required
def ranking_page(request):
    asked = _date_asked(request)
    found = standing(as_of=asked)
    if found is None:
        raise Http404(_("Wilayah kantor ini bukan kabupaten/kota: tidak ada peringkat."))
    if found.table is None and asked:  # a date without a table: the latest instead
        found = standing()
    needs = found.needs
    return render(
        request,
        "peers/ranking.html",
        {
            "standing": found,
            "table": found.table,
            "evaluation": evaluation_headline(needs) if needs else None,
            "needs": evaluation_needs_sentences(needs) if needs else [],
            "chart": charts.standing_chart(found.history),
            "reconcile": _reconcile(found),
            "may_upload": user_is_admin(request.user),
        },
    )


def _reconcile(found) -> dict | None:
    """Our figure in the table beside our own count on its date."""
    us, ours = (found.table.us if found.table else None), found.ours_on_date
    if us is None or not ours or ours["activated"] is None:
        return None
    return {
        "table": us,
        "ours": ours,
        "difference": ours["activated"] - us.activated,
        "fewer": us.activated - ours["activated"],
        "same_basis": not us.basis or us.basis == ours["denominator"],
    }
