"""Template filters for figures as the office reads them: `4,9%`, `170.400`, `8,5`, `–` when
unknown. The rules are the vocabulary's (kecamatan/progress/vocabulary.py), one for every page."""

import datetime as dt
import functools

from django import template
from django.utils import formats, translation
from django.utils.translation import get_language

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
