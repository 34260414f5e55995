"""Template filters for figures as the office reads them: `4,9%`, `170.400`, `8,5`, `–` when
unknown. The rules are the vocabulary's (kecamatan/vocabulary.py), one for every page."""

import datetime as dt
import functools
import html

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import unlocalize
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikd_dashboard.dates import iso_date
from ikd_dashboard.links import link as reversed_link

from ..formulas import percent
from ..vocabulary import (
    MISSING,
    denominator_title,
    denominator_word,
    format_month,
    format_number,
    format_people,
    format_percent,
    format_rate,
    format_target,
    format_yield,
    number_separators,
    projection_of,
)

register = template.Library()


@register.simple_tag
def link(name, *args):
    """`{% url name args %}` reversed once per process (ikd_dashboard.links), for the links on
    every page: the top bar, a region's trail and its downloads."""
    return reversed_link(name, *args)


@register.filter
def penyebut(code):
    """What the figures are of, in a sentence: `pemilik KTP-el`, `wajib KTP`, `penduduk`."""
    return denominator_word(code)


@register.filter
def penyebut_judul(code):
    """The same as a heading: `Pemilik KTP-el`, `Wajib KTP`, `Penduduk`."""
    return denominator_title(code)


@register.filter
def persen(value, digits=1):
    """4.94 → `4,9%` (Indonesian) / `4.9%` (English); `persen:0` for a target: `30%`."""
    if value is None:
        return MISSING
    if digits == 0:
        return format_target(value)
    return format_percent(value, digits=digits)


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
    return percent(part, whole)


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
    ("percent", format_percent),
    ("activated", format_people),
    ("holders", format_people),
    ("gap_people", format_people),
    ("pace_30d_per_day", format_rate),
    ("needed_per_day", format_rate),
)


def _cell(value) -> str:
    """`conditional_escape(value)` for what a row's cell holds (text, safe text, a number),
    without its generality: a region page escapes some four hundred cells."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return html.escape(value)  # what django.utils.html.escape does to text
    return conditional_escape(value)


def _query_suffix(query: str) -> str:
    """`?query`, escaped, for links that keep the view's filters; nothing without any."""
    return _cell(f"?{query}") if query else ""


def _sort_and_shown(row, numbers, separators):
    """Each number cell's raw value (data-sort) and its text, escaped."""
    return [
        part
        for field, written in numbers
        for part in (_cell(unlocalize(row[field])), _cell(written(row[field], separators)))
    ]


@register.simple_tag
def child_rows(children, query):
    """The rows of the table of a region's children (kecamatan/desa)."""
    separators = number_separators()
    suffix = _query_suffix(query)
    rows = []
    for c in children:
        name = _cell(c["name"])
        numbers = _sort_and_shown(c, _CHILD_NUMBERS, separators)
        status = _child_status(c, separators)
        rows.append(_CHILD_ROW.format(name, _cell(c["url"]), suffix, name, *numbers, status))
    return SafeString("".join(rows))


def _child_status(child, separators) -> str:
    if child["status"] == "ahead":
        return format_html('<span class="status-ahead">{}</span>', _("di depan"))
    if child["status"] == "behind":
        behind = format_people(sub(child["milestone_people"], child["activated"]), separators)
        text = _("tertinggal %(n)s") % {"n": conditional_escape(behind)}
        return format_html('<span class="status-behind">{}</span>', mark_safe(text))  # noqa: S308
    return ""


_OFFER = (
    '<a class="button primary" href="{}{}" download data-testid="{}-xlsx">{}</a> '
    '<a href="{}{}" download data-testid="{}-csv-id">{}</a> · '
    '<a href="{}{}" download data-testid="{}-csv">{}</a>'
)


@register.simple_tag
def download_offer(url_name, *args, query="", testid="download", label=""):
    """The links to one table's files, XLSX first as the button to press, then the CSV for
    Excel in Indonesian and the CSV for programs (ikd_dashboard/spreadsheets.py). `args` are
    the URL's before its format; `query` the view's filters."""
    suffix, testid = _query_suffix(query), _cell(testid)
    links = []
    for file_format, text in (
        ("xlsx", label or _("Unduh Excel (XLSX)")),
        ("csv-id", _("CSV untuk Excel Indonesia (titik koma, koma desimal)")),
        ("csv", _("CSV (untuk program: koma, titik desimal, UTF-8)")),
    ):
        url = reversed_link(url_name, *args, file_format)
        links += [_cell(url), suffix, testid, _cell(text)]
    return SafeString(_OFFER.format(*links))


@register.simple_tag(takes_context=True)
def download_links(context, table):
    """A region page's links to download one of its tables, for the view shown: the page's
    `region` and `query` are read from the context."""
    code, query = context["region"].code, context.get("query")
    offer = download_offer("region-download", code, table, query=query, testid=f"download-{table}")
    return SafeString(f'<p class="downloads">{offer}</p>\n')


_TILE = (
    '\n        <li><a href="{}{}" style="--fill: {}; --text: {}"><span class="tile-name">{}</span>'
    '<span class="tile-value">{}</span></a></li>\n      '
)


@register.simple_tag
def map_tiles(tiles, query):
    """The tile map's tiles (a region whose children have no outlines yet): a link per child,
    coloured by its class, with its name and percent."""
    separators = number_separators()
    suffix = _query_suffix(query)
    return SafeString(
        "".join(
            _TILE.format(
                _cell(t["url"]),
                suffix,
                _cell(t["fill"]),
                _cell(t["text"]),
                _cell(t["name"]),
                _cell(format_percent(t["percent"], separators)),
            )
            for t in tiles
        )
    )


@register.simple_tag
def monthly_rows(rows):
    """The rows of the monthly table: (month end, new activations, cumulative)."""
    language, separators = get_language(), number_separators()
    return SafeString(
        "".join(
            _MONTHLY_ROW.format(
                _cell(_date_text(month, language)),
                _cell(format_people(new, separators)),
                _cell(format_people(total, separators)),
            )
            for month, new, total in rows
        )
    )


_MONTHLY_ROW = '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td></tr>'


# The segment table's rows (dashboard/_segment_table.html), built as the child rows are.
_SEGMENT_ROW = (
    '\n      <tr{}>\n        <th scope="row" data-sort="{}">{}</th>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}"><span class="pct">{}</span></td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num" data-sort="{}">{}</td>'
    "\n        {}\n      </tr>\n    "
)
_SEGMENT_PACES = (
    '<td class="num wide" data-sort="{}">{}</td>'
    '\n        <td class="num wide" data-sort="{}">{}</td>'
)
_SEGMENT_NUMBERS = (
    ("holders", format_people),
    ("activated", format_people),
    ("percent", format_percent),
    ("target_percent", lambda value, _separators: format_target(value)),
    ("gap_people", format_people),
)
_SEGMENT_PACE_NUMBERS = (("pace_30d_per_day", format_rate), ("needed_per_day", format_rate))


@register.simple_tag(takes_context=True)
def segment_rows(context, segments):
    """The rows of the segment table. `links`, `paces`, `current`, `date` and `order` are read
    from the context, and written, as the template did: a missing one is empty."""
    links, paces, current = context.get("links"), context.get("paces"), context.get("current")
    as_text = functools.partial(render_value_in_context, context=context)  # {{ … }}, escaped
    if links:
        dated = f"&amp;tanggal={as_text(context['date'])}" if context.get("date") else ""
        after_code = f"{dated}&amp;urut={as_text(context.get('order', ''))}"
    separators = number_separators()
    rows = []
    for s in segments:
        name = _cell(s["name"])
        cell = name
        if links:
            cell = f'<a href="?segmen={_cell(s["code"])}{after_code}">{name}</a>'
        numbers = _sort_and_shown(s, _SEGMENT_NUMBERS, separators)
        pace_cells = ""
        if paces:
            pace_cells = _SEGMENT_PACES.format(
                *_sort_and_shown(s, _SEGMENT_PACE_NUMBERS, separators)
            )
        is_current = ' class="current"' if current and s["code"] == current else ""
        rows.append(_SEGMENT_ROW.format(is_current, name, cell, *numbers, pace_cells))
    return SafeString("".join(rows))
