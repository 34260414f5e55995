"""Our standing in words, as the dashboard's card, the ranking page and the report say it.
Percentages among peers carry two decimals: offices a tenth of a point apart are ranked apart."""

from django.utils.translation import gettext as _

from ..vocabulary import format_day, format_number, format_percent
from .evaluation import EvaluationNeeds, is_evaluation_day
from .standing import Standing, standing_card

DIGITS = 2


def peer_percent(value) -> str:
    return format_percent(value, digits=DIGITS)


def position_line(standing: Standing) -> str | None:
    """ "Penilaian 31 Maret 2025: peringkat 29 dari 35 di Jawa Tengah, 4,86%; median provinsi
    6,80%; nasional 10,93%." ("Tabel 12 April 2025: …" off an evaluation day) — None without
    a province table that has us."""
    table = standing.table
    if table is None or table.us is None:
        return None
    values = {
        "day": format_day(table.as_of),
        "rank": table.us.rank,
        "of": table.of,
        "province": standing.province,
        "percent": peer_percent(table.us.percent),
        "median": peer_percent(table.median_percent),
    }
    if is_evaluation_day(table.as_of):
        line = _(
            "Penilaian %(day)s: peringkat %(rank)s dari %(of)s di %(province)s, %(percent)s; "
            "median provinsi %(median)s"
        )
    else:
        line = _(
            "Tabel %(day)s: peringkat %(rank)s dari %(of)s di %(province)s, %(percent)s; "
            "median provinsi %(median)s"
        )
    line %= values
    if standing.national_percent:
        line += "; " + _("nasional %(percent)s") % {
            "percent": peer_percent(standing.national_percent[1])
        }
    return line + "."


def evaluation_headline(needs: EvaluationNeeds) -> str:
    """ "Penilaian 31 Maret 2025: 4,86%, peringkat 29/35." (a table dated off an evaluation day
    is said as a table)."""
    table = needs.table
    values = {
        "day": format_day(table.as_of),
        "percent": peer_percent(table.us.percent),
        "rank": table.us.rank,
        "of": table.of,
    }
    if needs.is_evaluation:
        return _("Penilaian %(day)s: %(percent)s, peringkat %(rank)s/%(of)s.") % values
    return _("Tabel %(day)s: %(percent)s, peringkat %(rank)s/%(of)s.") % values


def evaluation_needs_sentences(needs: EvaluationNeeds) -> list[str]:
    """What the next evaluation needs, in people on top of our figure in the table."""
    said = []
    people = {"day": format_day(needs.next_day)}
    if needs.up_one is None:
        said.append(_("Kita sudah di peringkat pertama."))
    else:
        above = needs.above
        values = {
            **people,
            "people": format_number(needs.up_one),
            "name": above.name,
        }
        if needs.above_keeps_pace:
            values["pace"] = format_number(above.pace_per_day, 0)
            said.append(
                _(
                    "Naik satu peringkat pada %(day)s: +%(people)s orang, untuk melewati "
                    "%(name)s bila lajunya tetap (%(pace)s per hari)."
                )
                % values
            )
        else:
            said.append(
                _(
                    "Naik satu peringkat pada %(day)s: +%(people)s orang, untuk melewati "
                    "%(name)s bila angkanya tetap."
                )
                % values
            )
    said.append(
        _("Mencapai median provinsi (%(median)s pada %(day)s): +%(people)s orang.")
        % {
            **people,
            "median": peer_percent(needs.median_then),
            "people": format_number(needs.to_median),
        }
    )
    if needs.to_path is not None:
        said.append(
            _("Berada di garis lurus target (%(path)s pada %(day)s): +%(people)s orang.")
            % {
                **people,
                "path": peer_percent(needs.path_percent),
                "people": format_number(needs.to_path),
            }
        )
    if needs.since is not None:
        said.append(
            _(
                "Dihitung dari angka kita di tabel %(table_day)s; sejak itu data kita sendiri "
                "mencatat +%(since)s aktivasi."
            )
            % {"table_day": format_day(needs.table.as_of), "since": format_number(needs.since)}
        )
    return said


def standing_words() -> dict | None:
    """The dashboard's card: our position in one line, the latest evaluation and what the next
    needs; None without a province table that has us."""
    found = standing_card()
    line = position_line(found) if found else None
    if line is None:
        return None
    needs = found.needs
    return {
        "line": line,
        # The latest evaluation, when the latest table is not its own.
        "evaluation": evaluation_headline(needs)
        if needs and needs.table.as_of != found.table.as_of
        else None,
        "needs": evaluation_needs_sentences(needs) if needs else [],
    }
