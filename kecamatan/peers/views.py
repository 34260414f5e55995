"""The ranking page: where we stand among the province's kabupaten/kota on a table's date, how
we got there, and what the next evaluation needs. Every office role reads it."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..accounts.access import user_is_admin
from ..pagecache import TIMEOUT_SECONDS, page_key, pages_generation
from . import charts
from .sentences import evaluation_headline, evaluation_needs_sentences
from .standing import standing


def _date_asked(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return None


# The table's two orders: by percentage (the rank), or by the people each still needs.
ORDERS = (
    ("persen", gettext_lazy("Capaian (%)")),
    ("kekurangan", gettext_lazy("Kekurangan (orang)")),
)


@login_required
def ranking_page(request):
    """The page from the cache while the data behind it is unchanged (kecamatan/pagecache.py):
    it reads some twenty statements and draws up to 514 rows."""
    may_upload = user_is_admin(request.user)
    key = page_key(
        pages_generation(), "peers", get_language(), may_upload, sorted(request.GET.lists())
    )
    content = cache.get(key)
    if content is None:
        content = render_to_string("peers/_ranking_content.html", _context(request, may_upload))
        cache.set(key, content, TIMEOUT_SECONDS)
    # Our own template's output, kept in our cache.
    return render(request, "peers/ranking.html", {"content": mark_safe(content)})  # noqa: S308


def _context(request, may_upload: bool) -> dict:
    asked = _date_asked(request)
    order = request.GET.get("urut") if request.GET.get("urut") in dict(ORDERS) else "persen"
    found = standing(as_of=asked)
    if found is None:
        raise Http404(_("Wilayah kantor ini bukan kabupaten/kota: tidak ada peringkat."))
    if found.table is None and asked:  # a date without a table: the latest instead
        found = standing()
    needs = found.needs
    rows = found.table.rows if found.table else []
    if order == "kekurangan":
        rows = sorted(rows, key=lambda r: (-(r.still_needed or 0), r.rank))
    return {
        "standing": found,
        "table": found.table,
        "rows": rows,
        "order": order,
        "sort_links": [
            {
                "value": value,
                "label": label,
                "active": value == order,
                "query": urlencode(
                    {"urut": value, **({"tanggal": asked.isoformat()} if asked else {})}
                ),
            }
            for value, label in ORDERS
        ],
        "evaluation": evaluation_headline(needs) if needs else None,
        "needs": evaluation_needs_sentences(needs) if needs else [],
        "chart": charts.standing_chart(found.history),
        "reconcile": _reconcile(found),
        "may_upload": may_upload,
    }


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
