"""Template filters for figures as the office reads them: `4,9%`, `170.400`, `8,5`, `–` when
unknown. The rules are the vocabulary's (kecamatan/progress/vocabulary.py), one for every page."""

import datetime as dt
import functools

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import unlocalize
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikd_dashboard.dates import iso_date

from ..progress.vocabulary import (
    MISSING,
    format_month,
    format_number,
    format_percent,
    format_rate,
    format_target,
    format_yield,
    projection_of,
)

register = template.Library()


@register.filter
def persen(value, digits=1):
    """4.94 → `4,9%` (Indonesian) / `4.9%` (English); `persen:0` for a target: `30%`."""
    if value is None:
        return MISSING
    if digits == 0:
        return format_target(value)
    return format_percent(value, digits)


@register.filter
def angka(value, digits=0):
    """A count with thousands grouped: 170400 → `170.400`."""
    if value is None:
        return MISSING
    if isinstance(value, str):  # a hidden small count: "<5"
        return value
    return format_number(value, digits)


@register.filter
def laju(value):
    """A pace in people per day, with the precision rule: `641`, `8,5`, `0,03`."""
    return format_rate(value)


@register.filter
def hasil(value):
    """Activations per visit or per officer-day: `14,6`, `<0,1`."""
    return format_yield(value)


@register.filter
def proyeksi(figures):
    """The projection of a row of figures (vocabulary.Projection)."""
    return projection_of(figures)


@register.filter
def bulan(value):
    """A date as its month: `Maret 2026`."""
    return format_month(value)


@register.filter
def tanggal(value):
    """A date as `9 April 2025`."""
    if value is None:
        return MISSING
    if type(value) is dt.date:  # a page shows a few dozen, the same ones every time
        return _date_text(value, get_language())
    return formats.date_format(value, "DATE_FORMAT")


@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date, language: str | None) -> str:
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


@register.filter
def isodate(value):
    """ISO text (a stored report's figures) → a date; a date stays a date."""
    return iso_date(value) if isinstance(value, str) else value


@register.filter
def sub(value, other):
    """value − other, for counts in templates."""
    return (value or 0) - (other or 0)


@register.filter
def unlocalize_int(value):
    """A whole number as plain digits, for HTML attributes (`max="1000000"`)."""
    return str(int(value or 0))


@register.filter
def total_people(failures):
    """The people of a visit's failures together (prefetched: no query)."""
    return sum(f.people for f in failures)


@register.filter
def share_of(part, whole):
    """part as a percentage of whole (for `|persen`); None when whole is nothing."""
    return part * 100 / whole if whole else None


@register.filter
def unlocalize_num(value):
    """A number as plain digits for data attributes (`12.5`); empty when unknown."""
    return "" if value is None else str(value)


@register.filter
def tempat(code):
    """A place type's name from its code (`sekolah` → `Sekolah`), in the reader's language."""
    from ..models import Activation

    return Activation.Place(code).label if code in Activation.Place.values else code


@register.filter
def jenis_instansi(code):
    """An institution kind's name from its code (`opd` → `OPD (perangkat daerah)`)."""
    from ..models import Institution

    return Institution.Kind(code).label if code in Institution.Kind.values else code


@register.filter
def iso_month(text):
    """`2025-04-01` (as a report stores it) → `April 2025`."""
    return (
        formats.date_format(dt.date.fromisoformat(text), "YEAR_MONTH_FORMAT") if text else MISSING
    )


# The two longest loops of a region page, built here rather than in the template, where each of
# their cells was a template variable going through Django's lookups: a tenth of a cold page's
# work. The HTML is what the template made, byte for byte, with the same filters.
_CHILD_ROW = (
    '\n      <tr>\n        <th scope="row" data-sort="{}"><a href="{}{}">{}</a></th>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="wide">{}</td>\n      </tr>\n    '
)


# Each number cell: its field, and the filter that writes it (data-sort holds the raw value).
_CHILD_NUMBERS = (
    ("percent", persen),
    ("activated", angka),
    ("holders", angka),
    ("gap_people", angka),
    ("pace_30d_per_day", laju),
    ("needed_per_day", laju),
)


@register.simple_tag
def child_rows(children, query):
    """The rows of the table of a region's children (kecamatan/desa)."""
    suffix = f"?{query}" if query else ""
    return format_html_join(
        "",
        _CHILD_ROW,
        (
            (
                c["name"],
                c["url"],
                suffix,
                c["name"],
                *(
                    part
                    for field, written in _CHILD_NUMBERS
                    for part in (unlocalize(c[field]), written(c[field]))
                ),
                _child_status(c),
            )
            for c in children
        ),
    )


def _child_status(child) -> str:
    if child["status"] == "ahead":
        return format_html('<span class="status-ahead">{}</span>', _("di depan"))
    if child["status"] == "behind":
        behind = angka(sub(child["milestone_people"], child["activated"]))
        text = _("tertinggal %(n)s") % {"n": conditional_escape(behind)}
        return format_html('<span class="status-behind">{}</span>', mark_safe(text))  # noqa: S308
    return ""


@register.simple_tag
def monthly_rows(rows):
    """The rows of the monthly table: (month end, new activations, cumulative)."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td></tr>',
        ((tanggal(month), angka(new), angka(total)) for month, new, total in rows),
    )


# The segment table's rows (kecamatan/_segment_table.html), built as the child rows are.
_SEGMENT_ROW = (
    '\n      <tr{}>\n        <th scope="row" data-sort="{}">{}</th>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}"><span class="pct">{}</span></td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    "\n        {}\n      </tr>\n    "
)
_SEGMENT_PACES = (
    '<td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
)
_SEGMENT_NUMBERS = (
    ("holders", angka),
    ("activated", angka),
    ("percent", persen),
    ("gap_people", angka),
)


@register.simple_tag(takes_context=True)
def segment_rows(context, segments):
    """The rows of the segment table. `links`, `paces`, `current`, `date` and `order` are read
    from the context, and written, as the template did: a missing one is empty."""
    links, paces, current = context.get("links"), context.get("paces"), context.get("current")
    as_text = functools.partial(render_value_in_context, context=context)  # {{ … }}, escaped
    if links:
        dated = f"&amp;tanggal={as_text(context['date'])}" if context.get("date") else ""
        after_code = mark_safe(f"{dated}&amp;urut={as_text(context.get('order', ''))}")  # noqa: S308
    rows = []
    for s in segments:
        name = as_text(s["name"])
        cell = name
        if links:
            code = as_text(s["code"])
            cell = format_html('<a href="?segmen={}{}">{}</a>', code, after_code, name)
        numbers = [
            part
            for field, written in _SEGMENT_NUMBERS
            for part in (unlocalize(s[field]), written(s[field]))
        ]
        pace_cells = ""
        if paces:
            pace_cells = format_html(
                _SEGMENT_PACES,
                *(
                    part
                    for field in ("pace_30d_per_day", "needed_per_day")
                    for part in (unlocalize(s[field]), laju(s[field]))
                ),
            )
        is_current = ' class="current"' if current and s["code"] == current else ""
        rows.append((mark_safe(is_current), name, cell, *numbers, pace_cells))  # noqa: S308
    return format_html_join("", _SEGMENT_ROW, rows)
