"""The institution charts, in the dashboard's plotly.js JSON (kecamatan/dashboard/charts.py)."""

from django.utils import formats
from django.utils.translation import gettext as _

from ..plotting import (
    BLUE,
    GREY,
    ORANGE,
    activated_and_needed_bars,
    base_layout,
    stacked_bars_layout,
    trace,
)

RANKED = 20  # bars on the ranking chart: the institutions furthest behind
LABEL = 26  # characters of a name on the chart's axis


def ranking_chart(rows: list[dict]) -> dict | None:
    """The institutions furthest behind: members already activated and members still needed
    for the target, stacked, the furthest behind on top. Hidden small institutions have no bar."""
    rows = [r for r in rows if not r.get("masked") and r["members"]][:RANKED]
    if not rows:
        return None
    rows = list(reversed(rows))  # plotly draws the first bar at the bottom
    # Labels short enough to leave the bars room on a phone; the whole name on hover.
    names = [r["name"] if len(r["name"]) <= LABEL else r["name"][: LABEL - 1] + "…" for r in rows]
    percent = [[float(r["percent"] or 0), r["members"], r["name"]] for r in rows]
    hover = (
        "<b>%{customdata[2]}</b><br>%{fullData.name}: %{x:,} "
        + _("orang")
        + "<br>"
        + _("Capaian")
        + ": %{customdata[0]:.1f}% "
        + _("dari %{customdata[1]:,} anggota")
        + "<extra></extra>"
    )
    traces = activated_and_needed_bars(
        names,
        activated=[r["activated"] for r in rows],
        needed=[r["gap_people"] or 0 for r in rows],
        customdata=percent,
        hovertemplate=hover,
    )
    return {
        "data": traces,
        "layout": stacked_bars_layout(
            height=max(260, 26 * len(rows) + 90),
            unit=_("anggota"),
            legend={"orientation": "h", "y": -0.2},
        ),
    }


def trend_chart(*, months: list, cumulative: list[int], figures: dict) -> dict | None:
    """Members activated by the end of each month, against the members the target asks for."""
    if not months:
        return None
    hover = "%{x|%d/%m/%Y}: %{y:,} " + _("orang") + "<extra></extra>"
    traces = [
        trace(
            "scatter",
            x=months,
            y=cumulative,
            mode="lines+markers",
            name=_("Anggota sudah aktivasi (kumulatif)"),
            line={"color": BLUE, "width": 3},
            marker={"size": 5},
            hovertemplate=hover,
        )
    ]
    if figures["target_people"] != figures["members_counted"]:  # a 100% target: the same line
        traces.append(
            trace(
                "scatter",
                x=[months[0], months[-1]],
                y=[figures["members_counted"], figures["members_counted"]],
                mode="lines",
                name=_("Anggota dihitung"),
                line={"color": GREY, "dash": "dot", "width": 2},
                hovertemplate=hover,
            )
        )
    if figures["target_people"] is not None:
        traces.append(
            trace(
                "scatter",
                x=[months[0], figures["target_deadline"] or months[-1]],
                y=[figures["target_people"], figures["target_people"]],
                mode="lines",
                name=_("Target %(percent)s%%")
                % {"percent": formats.number_format(figures["target_percent"], 0)},
                line={"color": ORANGE, "dash": "dash", "width": 2},
                hovertemplate=hover,
            )
        )
    return {
        "data": traces,
        "layout": base_layout(
            height=320,
            yaxis={
                "title": {"text": _("anggota")},
                "rangemode": "tozero",
                "gridcolor": "#e5e5e5",
                "tickformat": ",d",
            },
            xaxis={"gridcolor": "#f0f0f0"},
            legend={"orientation": "h", "y": -0.2},
        ),
    }
