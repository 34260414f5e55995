"""The monthly report's section on our rank and our peers: figures kept with the issued report
(reports/monthly.py), as they stood on the report's last day."""

import datetime as dt

from .standing import standing

NEIGHBOURS = 2  # rows shown above and below ours, beside the province's top three
TOP = 3


def _number(value):
    return None if value is None else float(value)  # rounded where it is shown


def peers_month(*, until: dt.date) -> dict | None:
    """Our rank, the province's median and best, the nation's figure and what the next
    evaluation needs, from the tables up to `until`; None without a province table."""
    found = standing(until=until, with_history=False)
    if found is None or found.table is None or found.table.us is None:
        return None
    table, needs = found.table, found.needs
    us = table.us
    at = table.rows.index(us)
    shown = [i for i, row in enumerate(table.rows) if row.rank <= TOP or abs(i - at) <= NEIGHBOURS]
    return {
        "as_of": table.as_of.isoformat(),
        "source": table.source,
        "province": found.province,
        "rank": us.rank,
        "of": table.of,
        "percent": _number(us.percent),
        "median_percent": _number(table.median_percent),
        "best": {"name": table.best.name, "percent": _number(table.best.percent)},
        "national_percent": _number(found.national_percent[1]) if found.national_percent else None,
        "rows": [
            {
                # Rows left out above this one: the table says so with a "…" line.
                "gap_before": k > 0 and i - shown[k - 1] > 1,
                "rank": row.rank,
                "name": row.name,
                "activated": row.activated,
                "denominator": row.denominator,
                "percent": _number(row.percent),
                "pace_per_day": _number(row.pace_per_day),
                "us": row.us,
            }
            for k, (i, row) in enumerate((i, table.rows[i]) for i in shown)
        ],
        "needs": None
        if needs is None
        else {
            "table_as_of": needs.table.as_of.isoformat(),
            "rank": needs.table.us.rank,
            "of": needs.table.of,
            "percent": _number(needs.table.us.percent),
            "next_day": needs.next_day.isoformat(),
            "up_one": needs.up_one,
            "above": needs.above.name if needs.above else None,
            "above_keeps_pace": needs.above_keeps_pace,
            "to_median": needs.to_median,
            "median_then": _number(needs.median_then),
            "to_path": needs.to_path,
            "path_percent": _number(needs.path_percent),
        },
    }
