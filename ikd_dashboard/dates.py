"""Calendar arithmetic the figures and the reports share, in the office's time zone."""

import datetime as dt

from django.utils import timezone


def today_jakarta() -> dt.date:
    """Today where the office is (settings.TIME_ZONE, Asia/Jakarta)."""
    return timezone.localdate()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month `day` falls in."""
    return next_month(day) - dt.timedelta(days=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after the one `day` falls in."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before the one `day` falls in."""
    return month_start(month_start(day) - dt.timedelta(days=1))


def iso_date(text: str | None) -> dt.date | None:
    """A date back from its ISO text (stored figures, JSON); None stays None."""
    return dt.date.fromisoformat(text) if text else None
