"""The one vocabulary of figures that the dashboard, the report, the API and the downloads share:
how precise each kind of number is, the one unit of a pace, what a projection and the milestone
say, how a month compares with the one before, and why segment gaps can add up to more.

The rules (docs/design.md, "Figures as leaders read them"):
- people: whole numbers; percentages: one decimal (a non-zero one below 0,05 is "<0,1%");
- a change in percentage points: one decimal; one that rounds to zero is "less than 0,1 points";
- paces are people per calendar day: whole from 10 up, one decimal from 0,1, two decimals below
  (the smallest pace over 30 days is 1/30 = 0,03), 0 only when nobody activated;
- a projected date only up to PROJECTION_YEARS_AFTER_DEADLINE after the deadline, in month and
  year ("sekitar Maret 2026"); further than that the target is "not reached by the deadline";
- outreach yields (activations per visit, per officer-day): one decimal, "<0,1" below 0,05.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.template.defaultfilters import floatformat
from django.utils import formats, translation
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikd_dashboard.dates import month_end, month_start, previous_month
from ikd_dashboard.numbers import float_or_none

from .models import Basis

MISSING = "–"
_STEPS = [Decimal(1).scaleb(-digits) for digits in range(4)]


def format_number(value, digits: int = 0, *, separators: dict | None = None) -> str:
    """What `floatformat(value, "<digits>g")` gives (rounded half up, thousands grouped, the
    reader's separators: `170.400`, `8,5`), at a fraction of its cost: a page formats a few
    hundred numbers, and floatformat's generality was a fifth of its rendering. Anything but a
    whole number, a decimal or a finite float goes to floatformat itself. A loop that writes
    many passes `number_separators()` once: looking up the language is a third of the cost."""
    if type(digits) is not int or not 0 <= digits < len(_STEPS):  # `-2`: decimals if any
        return floatformat(value, f"{digits}g")
    if type(value) is int and not digits:
        text = f"{value:,}"
    else:
        exact = Decimal(repr(value)) if type(value) in (int, float) else value
        if type(exact) is not Decimal or not exact.is_finite():
            return floatformat(value, f"{digits}g")
        try:
            rounded = exact.quantize(_STEPS[digits], ROUND_HALF_UP)
        except InvalidOperation:  # more digits than the context holds
            return floatformat(value, f"{digits}g")
        # floatformat never writes -0,0.
        text = f"{rounded if rounded else rounded.copy_abs():,.{digits}f}"
    # Digits and separators only: safe as they are (SafeString is what mark_safe makes).
    return SafeString(text.translate(separators or _separators(get_language())))


def number_separators() -> dict:
    """The active language's separators, for `format_number(…, separators=…)`."""
    return _separators(get_language())


@functools.cache
def _separators(language: str) -> dict:
    """Python's `,` and `.` → the language's thousands and decimal separators."""
    with translation.override(language):
        thousands = formats.get_format("THOUSAND_SEPARATOR")
        decimal = formats.get_format("DECIMAL_SEPARATOR")
    return str.maketrans({",": thousands, ".": decimal})


def rate_digits(value) -> int:
    """Decimals a pace (people per day) is shown with: 0 from 10 up, 1 from 0,1, else 2."""
    value = abs(float_or_none(value) or 0)
    if value == 0 or value >= 10:
        return 0
    return 1 if value >= 0.1 else 2


def format_rate(value, separators: dict | None = None) -> str:
    """8.53 → `8,5`; 640.6 → `641`; 0.03 → `0,03`; 0 → `0`."""
    if value is None:
        return MISSING
    return format_number(value, rate_digits(value), separators=separators)


def format_people(value, separators: dict | None = None) -> str:
    """170400 → `170.400`."""
    if value is None:
        return MISSING
    if isinstance(value, str):  # a hidden small count: "<5"
        return value
    return format_number(value, 0, separators=separators)


def format_percent(value, separators: dict | None = None, digits: int = 1) -> str:
    """4.94 → `4,9%`; a non-zero value that would read 0,0 → `<0,1%`."""
    if value is None:
        return MISSING
    number = float_or_none(value)
    smallest = 10**-digits
    if 0 < number < smallest / 2:
        return f"<{format_number(smallest, digits, separators=separators)}%"
    return f"{format_number(value, digits, separators=separators)}%"


def format_yield(value) -> str:
    """Activations per visit or per officer-day, one decimal (`14,6`), so that the visits a plan
    needs can be worked out by hand from it; a non-zero one that would read 0,0 → `<0,1`."""
    if value is None:
        return MISSING
    if 0 < float_or_none(value) < 0.05:
        return f"<{format_number(0.1, 1)}"
    return format_number(value, 1)


def denominator_word(code: str | None) -> str:
    """What a percentage is of, inside a sentence: "pemilik KTP-el", "wajib KTP", "penduduk".
    A figure without a code (a report issued before bases were kept) was of KTP-el holders."""
    return str(Basis(code or Basis.PEREKAMAN).label)


def denominator_title(code: str | None) -> str:
    """The same as a column heading: "Pemilik KTP-el", "Wajib KTP", "Penduduk"."""
    word = denominator_word(code)
    return word[:1].upper() + word[1:]


def format_target(value) -> str:
    """A target percentage: `30%`, `27,5%` (no trailing zero)."""
    if value is None:
        return MISSING
    return f"{floatformat(value, -1)}%"


def format_points(change) -> str:
    """A change in percentage points, one decimal, without its sign: `1,1`; `<0,1`."""
    change = abs(float_or_none(change) or 0)
    if 0 < change < 0.05:
        return f"<{format_number(0.1, 1)}"
    return format_number(change, 1)


def format_month(day: dt.date | None) -> str:
    return MISSING if day is None else formats.date_format(day, "YEAR_MONTH_FORMAT")


def format_day(day: dt.date | None) -> str:
    return MISSING if day is None else formats.date_format(day, "DATE_FORMAT")


def _date(value) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


# --- projection ---------------------------------------------------------------------------------

# How far after the deadline a projected date still means something to a reader (also the SQL
# horizon in progress/compute.py).
PROJECTION_YEARS_AFTER_DEADLINE = 1
PROJECTION_DAYS_AFTER_DEADLINE = 365 * PROJECTION_YEARS_AFTER_DEADLINE


@dataclass
class Projection:
    """Where the current pace leads. `kind`: reached, on_track, late, no_pace, no_target,
    deadline_passed. `date` only within the horizon; `times` = needed pace / current pace."""

    kind: str
    date: dt.date | None
    deadline: dt.date | None
    needed_per_day: float | None
    pace_per_day: float | None

    @property
    def times(self) -> float | None:
        if not self.pace_per_day or not self.needed_per_day:
            return None
        return self.needed_per_day / self.pace_per_day

    @property
    def headline(self) -> str:
        """What the card says in big letters."""
        return {
            "reached": _("Target tercapai"),
            "on_track": _("Tercapai sebelum tenggat"),
            "late": _("Tidak tercapai pada tenggat"),
            "no_pace": _("Tidak tercapai pada tenggat"),
            "deadline_passed": _("Tenggat sudah lewat"),
        }.get(self.kind, MISSING)

    @property
    def sentence(self) -> str:
        """The projection in one sentence, the same on the page, in the report and its email."""
        words = {
            "deadline": format_day(self.deadline),
            "month": format_month(self.date),
            "needed": format_rate(self.needed_per_day),
            "pace": format_rate(self.pace_per_day),
            "times": floatformat(self.times or 0, "0g"),
        }
        if self.kind == "reached":
            return _("Target sudah tercapai.")
        if self.kind == "on_track":
            return (
                _(
                    "Dengan laju 30 hari terakhir (%(pace)s/hari) target tercapai sekitar "
                    "%(month)s, sebelum tenggat %(deadline)s."
                )
                % words
            )
        if self.kind == "deadline_passed":
            return _("Tenggat %(deadline)s sudah lewat dan target belum tercapai.") % words
        if self.kind == "no_pace":
            return (
                _(
                    "Tidak ada aktivasi dalam 30 hari terakhir, jadi target tidak tercapai pada "
                    "tenggat %(deadline)s; dibutuhkan %(needed)s orang per hari."
                )
                % words
            )
        if self.kind != "late":
            return ""
        sentence = (
            _(
                "Dengan laju 30 hari terakhir (%(pace)s/hari) target tidak tercapai pada tenggat "
                "%(deadline)s; dibutuhkan %(needed)s orang per hari"
            )
            % words
        )
        if self.times and self.times >= 2:
            sentence += _(", %(times)s kali laju sekarang") % words
        if self.date:
            sentence += _(" (dengan laju sekarang baru sekitar %(month)s)") % words
        return sentence + "."


def projection_of(figures: dict) -> Projection:
    """The projection of one region's (or segment's) figures: a row of snapshots, the API's
    figures or a report's stored totals (dates as dates or ISO text)."""
    deadline = _date(figures.get("target_deadline"))
    projected = _date(figures.get("projected_date"))
    pace = float_or_none(figures.get("pace_30d_per_day"))
    needed = float_or_none(figures.get("needed_per_day"))
    gap = figures.get("gap_people")
    if figures.get("target_percent") is None or gap is None:
        kind = "no_target"
    elif gap == 0:
        kind = "reached"
    elif needed is None:
        kind = "deadline_passed"
    elif not pace:
        kind = "no_pace"
    elif projected and deadline and projected <= deadline:
        kind = "on_track"
    else:
        kind = "late"
    return Projection(
        kind=kind,
        date=projected if kind in ("on_track", "late") else None,
        deadline=deadline,
        needed_per_day=needed,
        pace_per_day=pace,
    )


# --- milestone ------------------------------------------------------------------------------


def milestone_sentence(figures: dict, *, as_of: dt.date) -> str:
    """`Seharusnya sudah 79.213 orang pada 9 April 2025; tertinggal 45.613 orang.`"""
    milestone, activated = figures.get("milestone_people"), figures.get("activated")
    if milestone is None or activated is None or isinstance(activated, str):
        return ""
    words = {
        "people": format_people(milestone),
        "date": format_day(as_of),
        "difference": format_people(abs(activated - milestone)),
    }
    if activated >= milestone:
        return (
            _(
                "Seharusnya sudah %(people)s orang pada %(date)s; kita %(difference)s orang "
                "di depan."
            )
            % words
        )
    return _(
        "Seharusnya sudah %(people)s orang pada %(date)s; tertinggal %(difference)s orang."
    ) % (words)


# --- sums that do not add up ----------------------------------------------------------------


def gap_sum_explanation(*, total: dict, parts: list[dict], unit: str) -> str | None:
    """One sentence when the parts' gaps (segments, kecamatan, desa) add up to more than the
    total gap, with the two reasons in people: each part's target is rounded up to a whole
    person (so the parts' targets add up to a little more), and a part above its own target
    counts towards the total but cannot fill another part's gap. Σ gaps − gap = (Σ targets −
    target) + Σ the parts' surplus over their target."""
    rows = [p for p in parts if isinstance(p.get("gap_people"), int)]
    total_gap = total.get("gap_people")
    if total_gap is None or not rows:
        return None
    summed = sum(p["gap_people"] for p in rows)
    if summed <= total_gap:
        return None
    targets = [p.get("target_people") for p in rows]
    rounding = (
        max(sum(targets) - total["target_people"], 0)
        if None not in targets and isinstance(total.get("target_people"), int)
        else 0
    )
    above = [p for p in rows if p["gap_people"] == 0 and isinstance(p.get("activated"), int)]
    surplus = summed - total_gap - rounding
    reasons = []
    if surplus > 0:
        reasons.append(
            _(
                "%(people)s orang karena %(count)s %(unit)s yang sudah melampaui targetnya ikut "
                "dihitung dalam angka total, tetapi kelebihannya tidak menutup kekurangan "
                "%(unit)s lain"
            )
            % {"people": format_people(surplus), "count": len(above), "unit": unit}
        )
    if rounding:
        reasons.append(
            _("%(people)s orang karena target tiap %(unit)s dibulatkan ke atas ke orang utuh")
            % {"people": format_people(rounding), "unit": unit}
        )
    return _(
        "Kekurangan per %(unit)s berjumlah %(summed)s orang, %(difference)s lebih banyak dari "
        "kekurangan total (%(total)s): %(reasons)s."
    ) % {
        "unit": unit,
        "summed": format_people(summed),
        "difference": format_people(summed - total_gap),
        "total": format_people(total_gap),
        "reasons": "; ".join(reasons),
    }


# --- months -----------------------------------------------------------------------------------


@dataclass
class MonthComparison:
    """New activations in (the part so far of) a month against the same stretch of the month
    before: the same number of days when the month is running, whole months otherwise, and by
    daily rate whenever the two stretches differ in length."""

    this_first: dt.date
    this_last: dt.date
    this_count: int
    previous_first: dt.date
    previous_last: dt.date
    previous_count: int

    @property
    def this_days(self) -> int:
        return (self.this_last - self.this_first).days + 1

    @property
    def previous_days(self) -> int:
        return (self.previous_last - self.previous_first).days + 1

    @property
    def by_rate(self) -> bool:
        return self.this_days != self.previous_days

    @property
    def direction(self) -> str:
        """ "more", "less" or "same", by count over equal stretches, else by daily rate."""
        this, previous = Decimal(self.this_count), Decimal(self.previous_count)
        if self.by_rate:
            this, previous = this / self.this_days, previous / self.previous_days
            this, previous = round(this, rate_digits(this)), round(previous, rate_digits(previous))
        return "more" if this > previous else "less" if this < previous else "same"

    def _stretch(self, first: dt.date, last: dt.date) -> str:
        if first.day == 1 and (last + dt.timedelta(days=1)).day == 1:
            return format_month(first)
        return _("%(first)s–%(last)s") % {
            "first": first.day,
            "last": format_day(last),
        }

    @property
    def sentence(self) -> str:
        words = {
            "this": self._stretch(self.this_first, self.this_last),
            "previous": self._stretch(self.previous_first, self.previous_last),
            "count": format_people(self.this_count),
            "before": format_people(self.previous_count),
            "rate": format_rate(self.this_count / self.this_days),
            "before_rate": format_rate(self.previous_count / self.previous_days),
            "days": self.this_days,
        }
        if self.by_rate:
            comparison = {
                "more": _("lebih cepat dari %(previous)s (%(before)s orang, %(before_rate)s/hari)"),
                "less": _(
                    "lebih lambat dari %(previous)s (%(before)s orang, %(before_rate)s/hari)"
                ),
                "same": _(
                    "sama cepat dengan %(previous)s (%(before)s orang, %(before_rate)s/hari)"
                ),
            }[self.direction]
            return (
                _("%(this)s: %(count)s orang aktivasi (%(rate)s/hari), ") % words
                + comparison % words
                + "."
            )
        comparison = {
            "more": _("lebih banyak dari %(days)s hari yang sama bulan sebelumnya, %(previous)s"),
            "less": _("lebih sedikit dari %(days)s hari yang sama bulan sebelumnya, %(previous)s"),
            "same": _("sama dengan %(days)s hari yang sama bulan sebelumnya, %(previous)s"),
        }[self.direction]
        if self.this_first.day == 1 and (self.this_last + dt.timedelta(days=1)).day == 1:
            comparison = {
                "more": _("lebih banyak dari %(previous)s"),
                "less": _("lebih sedikit dari %(previous)s"),
                "same": _("sama dengan %(previous)s"),
            }[self.direction]
        return (
            _("%(this)s: %(count)s orang aktivasi, ") % words
            + comparison % words
            + _(" (%(before)s orang).") % words
        )


def month_stretches(*, month: dt.date, last: dt.date) -> tuple[tuple, tuple]:
    """((first, last) of this month so far, (first, last) of the same days of the month before,
    cut at that month's end)."""
    first = month_start(month)
    previous_first = previous_month(first)
    previous_end = month_end(previous_first)
    days = (last - first).days
    previous_last = min(previous_first + dt.timedelta(days=days), previous_end)
    if last == month_end(last):  # a whole month: the whole month before
        previous_last = previous_end
    return (first, last), (previous_first, previous_last)
