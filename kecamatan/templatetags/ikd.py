"""Template filters for figures as the office reads them: `4,9%`, `170.400`, `–` when unknown."""

import datetime as dt

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats

register = template.Library()
MISSING = "–"


@register.filter
def persen(value, digits=1):
    """4.94 → `4,9%` (Indonesian) / `4.9%` (English)."""
    if value is None:
        return MISSING
    return f"{floatformat(value, digits)}%"


@register.filter
def angka(value, digits=0):
    """A count or rate with thousands grouped: 170400 → `170.400`; 640.6 → `641`."""
    if value is None:
        return MISSING
    if isinstance(value, str):  # a hidden small count: "<5"
        return value
    return floatformat(value, f"{digits}g")


@register.filter
def tanggal(value):
    """A date as `9 April 2025`."""
    if value is None:
        return MISSING
    return formats.date_format(value, "DATE_FORMAT")


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
def iso_month(text):
    """`2025-04-01` (as a report stores it) → `April 2025`."""
    return (
        formats.date_format(dt.date.fromisoformat(text), "YEAR_MONTH_FORMAT") if text else MISSING
    )
