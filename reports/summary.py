"""The monthly report in words: the summary a Kepala Dinas reads first (also the email's body),
written from the report's figures in the one vocabulary of the pages (kecamatan/vocabulary.py)."""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from kecamatan.vocabulary import (
    MonthComparison,
    denominator_word,
    format_people,
    format_percent,
    format_points,
    format_target,
    milestone_sentence,
    projection_of,
)


def month_comparison(figures: dict) -> MonthComparison | None:
    """The fair comparison of a report's month with the month before (None in reports issued
    before it was kept)."""
    kept = figures.get("comparison")
    if not kept:
        return None
    (first, last, count), (p_first, p_last, p_count) = kept["this"], kept["previous"]
    return MonthComparison(
        this_first=dt.date.fromisoformat(first),
        this_last=dt.date.fromisoformat(last),
        this_count=count,
        previous_first=dt.date.fromisoformat(p_first),
        previous_last=dt.date.fromisoformat(p_last),
        previous_count=p_count,
    )


# --- words -----------------------------------------------------------------------------------


def _date(iso: str) -> str:
    return formats.date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


def _movement(figures: dict) -> str:
    """`naik 0,3 poin sejak 31 Maret 2025`, in the precision of the percentages themselves."""
    points = figures["points_change"] or 0
    words = {
        "points": format_points(points),
        "date": _date(figures["previous"]["as_of"]),
        "people": format_people(figures["new_this_month"]),
    }
    # A change that would read "0,0 poin" is said in people instead.
    if 0 < points < 0.05:
        return _("naik kurang dari 0,1 poin (%(people)s orang) sejak %(date)s") % words
    if -0.05 < points < 0:
        return _("turun kurang dari 0,1 poin sejak %(date)s") % words
    if points > 0:
        return _("naik %(points)s poin sejak %(date)s") % words
    if points < 0:
        return _("turun %(points)s poin sejak %(date)s") % words
    return _("tetap sejak %(date)s") % words


def report_summary(figures: dict) -> list[str]:
    """The report's summary in sentences, written from its figures (same figures, same words)."""
    t = figures["totals"]
    sentences = []
    if t["target_percent"] is not None and t["gap_people"] == 0:
        sentences.append(
            _(
                "Target %(target)s telah tercapai: %(activated)s orang sudah aktivasi IKD "
                "(%(percent)s dari %(basis)s), %(above)s di atas target."
            )
            % {
                "basis": denominator_word(figures.get("denominator")),
                "target": format_target(t["target_percent"]),
                "activated": format_people(t["activated"]),
                "percent": format_percent(t["percent"]),
                "above": format_people(t["activated"] - t["target_people"]),
            }
        )
    else:
        words = {
            "percent": format_percent(t["percent"]),
            "activated": format_people(t["activated"]),
            "holders": format_people(t["holders"]),
            "movement": _movement(figures),
            "basis": denominator_word(figures.get("denominator")),
        }
        sentence = (
            _("Capaian %(percent)s (%(activated)s dari %(holders)s %(basis)s), %(movement)s")
            % words
        )
        if t["target_percent"] is not None:
            sentence += _("; target %(target)s s.d. %(deadline)s, kekurangan %(gap)s orang") % {
                "target": format_target(t["target_percent"]),
                "deadline": _date(t["target_deadline"]),
                "gap": format_people(t["gap_people"]),
            }
        sentences.append(sentence + ".")
        projection = projection_of(t).sentence
        if projection:
            sentences.append(projection)
    comparison = month_comparison(figures)
    if comparison:
        sentences.append(comparison.sentence)
    if t["gap_people"]:
        milestone = milestone_sentence(t, as_of=dt.date.fromisoformat(figures["as_of"]))
        if milestone:
            sentences.append(milestone)
    if figures.get("peers"):  # reports issued before peers were kept have no such key
        sentences.append(_peers_sentence(figures["peers"]))
    behind = [k for k in figures["kecamatan"] if k["gap_people"]]
    if behind:  # kecamatan come furthest behind first (largest gap in people)
        sentences.append(
            _("Paling tertinggal: %(name)s, kekurangan %(gap)s orang.")
            % {"name": _place(figures, behind[0]), "gap": format_people(behind[0]["gap_people"])}
        )
    by_percent = sorted(
        (k for k in figures["kecamatan"] if k["percent"] is not None),
        key=lambda k: (-k["percent"], k["name"]),
    )
    if len(by_percent) >= 2:
        sentences.append(
            _(
                "Menurut persen capaian: tertinggi %(top)s (%(top_percent)s), "
                "terendah %(bottom)s (%(bottom_percent)s)."
            )
            % {
                "top": _place(figures, by_percent[0]),
                "top_percent": format_percent(by_percent[0]["percent"]),
                "bottom": _place(figures, by_percent[-1]),
                "bottom_percent": format_percent(by_percent[-1]["percent"]),
            }
        )
    return sentences


def _place(figures: dict, row: dict) -> str:
    """A ranked region in a sentence: "Kecamatan Grogol", or a kecamatan's desa by its name."""
    if figures.get("child_level", "kecamatan") == "kecamatan":
        return _("Kecamatan %(name)s") % {"name": row["name"]}
    return row["name"]


def _peers_sentence(peers: dict) -> str:
    """Our rank in one sentence, from the report's peers (kecamatan/peers/report.py): "Di Jawa
    Tengah per 31 Maret 2025: peringkat 32 dari 35 (4,86%; median provinsi 6,59%); naik satu
    peringkat pada 15 April 2025 butuh +1.922 orang."."""
    words = {
        "province": peers["province"],
        "day": _date(peers["as_of"]),
        "rank": peers["rank"],
        "of": peers["of"],
        "percent": format_percent(peers["percent"], digits=2),
        "median": format_percent(peers["median_percent"], digits=2),
    }
    sentence = (
        _(
            "Di %(province)s per %(day)s: peringkat %(rank)s dari %(of)s (%(percent)s; median "
            "provinsi %(median)s)"
        )
        % words
    )
    needs = peers.get("needs")
    if needs and needs["up_one"] is not None:
        sentence += _("; naik satu peringkat pada %(day)s butuh +%(people)s orang") % {
            "day": _date(needs["next_day"]),
            "people": format_people(needs["up_one"]),
        }
    return sentence + "."
