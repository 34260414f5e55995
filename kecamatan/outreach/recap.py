"""Outreach in words: the daily recap for a WhatsApp group (the monthly report's outreach section
is in report.py)."""

import datetime as dt

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ActivationDaily, Region, RegionClosure
from ..progress.selectors import progress_data_date, progress_for_region
from ..vocabulary import (
    denominator_word,
    format_day,
    format_people,
    format_percent,
    format_target,
    format_yield,
    milestone_sentence,
    projection_of,
)
from .yields import outreach_yield

RECAP_MAX_CHARS = 1000  # a WhatsApp message read on a phone without scrolling far
FURTHEST_BEHIND = 3


def recap_figures(*, region: Region, day: dt.date) -> dict:
    """What the recap of `day` says, as numbers (the text is written from these). The progress
    figures run to the data date, "data lengkap s.d." (progress.datadate), when `day` lies beyond
    it: a day only some kecamatan have reported is not yet the kabupaten's day."""
    on_day = ActivationDaily.objects.filter(
        day=day,
        region__in=RegionClosure.objects.filter(ancestor=region).values("descendant_id"),
    ).aggregate(n=Sum("people"))["n"]
    data_date = progress_data_date()
    as_of = min(day, data_date)
    progress = progress_for_region(region=region, as_of=as_of)
    totals = progress.totals if progress else {}
    behind = sorted(
        (c for c in (progress.children if progress else []) if c["gap_people"]),
        key=lambda c: (-c["gap_people"], c["name"]),
    )[:FURTHEST_BEHIND]
    held = outreach_yield(region=region, since=day, until=day)
    return {
        "region": region,
        "day": day,
        "as_of": as_of,
        "complete": as_of == data_date,  # the figures run to the data date itself
        "day_reported": day <= data_date,  # every kecamatan has reported the day
        "data_date": data_date,
        "activated_on_day": on_day or 0,
        "totals": totals,
        "behind": behind,
        "yield": held,
    }


# When the recap is too long, lines go in this order: the places (the last first), where the
# pace leads, then the milestone; what is left is cut at RECAP_MAX_CHARS.
PLACE, PROJECTION, MILESTONE, KEEP = 3, 2, 1, 0


def _progress_lines(figures: dict) -> list[tuple[str, int]]:
    """Where the region stands, in the vocabulary of the dashboard and the report."""
    t = figures["totals"]
    if t.get("percent") is None:
        return []
    when = _("data lengkap s.d. %(date)s") if figures["complete"] else _("data per %(date)s")
    lines = [
        (
            _("Capaian %(percent)s: %(activated)s dari %(holders)s %(basis)s (%(when)s).")
            % {
                "basis": denominator_word(t.get("denominator")),
                "percent": format_percent(t["percent"]),
                "activated": format_people(t["activated"]),
                "holders": format_people(t["holders"]),
                "when": when % {"date": format_day(figures["as_of"])},
            },
            KEEP,
        )
    ]
    if t.get("gap_people"):
        lines.append((milestone_sentence(t, as_of=figures["as_of"]), MILESTONE))
    return lines


def _outreach_lines(held) -> list[tuple[str, int]]:
    """The day's visits and what they yielded, in total and per place type."""
    totals = held.totals
    if not totals.visits:
        return [(_("Jemput bola: tidak ada kegiatan terlaksana."), KEEP)]
    line = ngettext(
        "Jemput bola: %(visits)s kegiatan, %(activated)s aktivasi (%(per_visit)s per "
        "kegiatan), %(failed)s gagal (%(retryable)s bisa diulang).",
        "Jemput bola: %(visits)s kegiatan, %(activated)s aktivasi (%(per_visit)s per "
        "kegiatan), %(failed)s gagal (%(retryable)s bisa diulang).",
        totals.visits,
    ) % {
        "visits": format_people(totals.visits),
        "activated": format_people(totals.activated),
        "per_visit": format_yield(totals.per_visit),
        "failed": format_people(totals.failed),
        "retryable": format_people(totals.failed_retryable),
    }
    places = [
        ngettext(
            "%(place)s: %(visits)s kegiatan, %(activated)s aktivasi",
            "%(place)s: %(visits)s kegiatan, %(activated)s aktivasi",
            row.visits,
        )
        % {
            "place": row.label,
            "visits": format_people(row.visits),
            "activated": format_people(row.activated),
        }
        for row in held.rows
    ]
    return [(line, KEEP), *((f"  · {place}", PLACE) for place in places)]


def _gap_lines(figures: dict) -> list[tuple[str, int]]:
    """The gap, where it is largest, and where the current pace leads."""
    t = figures["totals"]
    if t.get("target_percent") is None:
        return []
    line = _("Kekurangan: %(gap)s orang lagi untuk target %(target)s pada %(deadline)s") % {
        "gap": format_people(t.get("gap_people")),
        "target": format_target(t["target_percent"]),
        "deadline": format_day(t["target_deadline"]),
    }
    if figures["behind"]:
        line += _("; terbesar di %(list)s") % {
            "list": ", ".join(
                f"{c['name']} ({format_people(c['gap_people'])})" for c in figures["behind"]
            )
        }
    return [(line + ".", KEEP), (projection_of(t).sentence, PROJECTION)]


def recap_text(figures: dict) -> str:
    """The recap as plain text for a WhatsApp group, at most RECAP_MAX_CHARS characters: the
    per-place lines go first when it would be longer, then the projection and the milestone."""
    day = figures["day"]
    on_day = _("Aktivasi %(day)s: %(n)s orang.") % {
        "day": formats.date_format(day, "j F"),
        "n": format_people(figures["activated_on_day"]),
    }
    if not figures["day_reported"] and not figures["activated_on_day"]:
        # No file has reached the day yet: a zero would read as a day without activations.
        on_day = _(
            "Aktivasi %(day)s: belum ada berkas yang diunggah (data lengkap s.d. %(through)s)."
        ) % {
            "day": formats.date_format(day, "j F"),
            "through": format_day(figures["data_date"]),
        }
    elif not figures["day_reported"]:
        on_day = on_day[:-1] + _(" (belum semua kecamatan melapor).")
    title = _("Rekap IKD %(region)s, %(day)s") % {
        "region": figures["region"].display_name,
        "day": formats.date_format(day, "l, j F Y"),
    }
    lines = [
        (on_day, KEEP),
        *_progress_lines(figures),
        *_outreach_lines(figures["yield"]),
        *_gap_lines(figures),
    ]
    lines = [(line if line.startswith("  ") else f"- {line}", rank) for line, rank in lines if line]

    def text() -> str:
        return "\n".join([title, *(line for line, _rank in lines)])

    while len(text()) > RECAP_MAX_CHARS and any(rank for _line, rank in lines):
        last = max(range(len(lines)), key=lambda i: (lines[i][1], i))
        del lines[last]
    return text()[:RECAP_MAX_CHARS]
