"""Plotly figures for the pages, as plain dicts the template hands to plotly.js with json_script.

Written as plotly.js JSON directly, not through plotly.graph_objects: the validating objects cost
about 50 ms a page, more than everything else on it together.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from ..plotting import (
    BLUE,
    GREY,
    ORANGE,
    SKY,
    VERMILLION,
    activated_and_needed_bars,
    base_layout,
    fan_traces,
    people_over_time,
    stacked_bars_layout,
    trace,
    weekly,
)
from ..progress.selectors import RegionProgress, Trend


def gap_chart(progress: RegionProgress, order: str = "persen") -> dict | None:
    """Attainment of each child region as a bar, against the target line; gap in people on hover.

    `order` "persen" puts the lowest attainment on top, "kekurangan" the largest gap in people.
    """
    rows = [c for c in progress.children if c["percent"] is not None]
    if not rows:
        return None
    # plotly draws the first bar at the bottom: the row to read first goes last.
    if order == "kekurangan":
        rows.sort(key=lambda c: c["gap_people"] or 0)
    else:
        rows.sort(key=lambda c: -c["percent"])
    target = progress.totals["target_percent"]
    traces = [
        trace(
            "bar",
            x=[float(c["percent"]) for c in rows],
            y=[c["name"] for c in rows],
            orientation="h",
            marker={"color": BLUE},
            customdata=[[c["activated"], c["holders"], c["gap_people"] or 0] for c in rows],
            hovertemplate=(
                "<b>%{y}</b><br>"
                + _("Capaian")
                + ": %{x:.1f}%<br>"
                + _("Sudah aktivasi")
                + ": %{customdata[0]:,} / %{customdata[1]:,}<br>"
                + _("Kekurangan")
                + ": %{customdata[2]:,} "
                + _("orang")
                + "<extra></extra>"
            ),
            name=_("Capaian"),
        )
    ]
    layout = base_layout(
        height=max(260, 28 * len(rows) + 70),
        xaxis={
            "title": {"text": _("% sudah aktivasi")},
            "ticksuffix": "%",
            "rangemode": "tozero",
            "gridcolor": "#e5e5e5",
        },
        yaxis={"ticksuffix": " "},
        showlegend=False,
        bargap=0.25,
    )
    if target is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": float(target),
                "x1": float(target),
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": VERMILLION, "width": 2, "dash": "dash"},
            }
        ]
        layout["annotations"] = [
            {
                "x": float(target),
                "yref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "text": _("Target %(percent)s%%") % {"percent": formats.number_format(target, 0)},
                "xanchor": "right",
                "showarrow": False,
                "font": {"color": VERMILLION},
            }
        ]
        highest = max(float(c["percent"]) for c in rows)
        layout["xaxis"]["range"] = [0, max(float(target), highest) * 1.08]
        # Room above the plot for the label, below the toolbar plotly.js shows on hover.
        layout["margin"]["t"] = 48
    return {"data": traces, "layout": layout}


def trend_chart(progress: RegionProgress, trend: Trend, fan: list | None = None) -> dict | None:
    """Cumulative activations per month against each target's straight line, where the
    current pace leads by the deadline, and with `fan` where the team's plan leads (the
    outreach plan's forecast, with its range)."""
    if not trend.months:
        return None
    traces = [
        trace(
            "scatter",
            x=trend.months,
            y=trend.cumulative,
            mode="lines+markers",
            name=_("Sudah aktivasi (kumulatif)"),
            line={"color": BLUE, "width": 3},
            marker={"size": 5},
            hovertemplate="%{x|%d/%m/%Y}: %{y:,} " + _("orang") + "<extra></extra>",
        )
    ]
    dashes = ["dot", "dash", "longdash"]
    for i, line in enumerate(trend.trajectories):
        target = line["target"]
        traces.append(
            trace(
                "scatter",
                x=[line["start"][0], line["end"][0]],
                y=[line["start"][1], line["end"][1]],
                mode="lines",
                name=_("Lintasan target %(percent)s%% s.d. %(deadline)s")
                % {
                    "percent": formats.number_format(target.percent, 0),
                    "deadline": formats.date_format(target.deadline, "SHORT_DATE_FORMAT"),
                },
                line={
                    "color": ORANGE if i == len(trend.trajectories) - 1 else GREY,
                    "dash": dashes[i % len(dashes)],
                    "width": 2,
                },
                hovertemplate="%{x|%d/%m/%Y}: %{y:,} " + _("orang") + "<extra></extra>",
            )
        )
    totals = progress.totals
    if totals["target_deadline"] and totals["target_deadline"] > progress.as_of:
        days = (totals["target_deadline"] - progress.as_of).days
        ahead = totals["activated"] + float(totals["pace_30d_per_day"]) * days
        traces.append(
            trace(
                "scatter",
                x=[progress.as_of, totals["target_deadline"]],
                y=[totals["activated"], round(ahead)],
                mode="lines",
                name=_("Proyeksi dengan laju 30 hari terakhir"),
                line={"color": SKY, "dash": "dot", "width": 2},
                hovertemplate="%{x|%d/%m/%Y}: %{y:,} " + _("orang") + "<extra></extra>",
            )
        )
    if fan:
        traces += fan_traces(weekly(fan), name=_("Perkiraan dengan rencana jemput bola"))
    return {
        "data": traces,
        "layout": base_layout(
            height=340,
            **people_over_time(),
            legend={"orientation": "h", "y": -0.2},
        ),
    }


def segment_chart(progress: RegionProgress) -> dict | None:
    """Per segment: people already activated and people still needed for the target, stacked."""
    rows = [s for s in progress.segments if s["holders"] and not s.get("masked")]
    if not rows:
        return None
    rows.reverse()  # the office's order, read from the top
    names = [s["name"] for s in rows]
    hover = "<b>%{y}</b><br>%{fullData.name}: %{x:,} " + _("orang") + "<extra></extra>"
    traces = activated_and_needed_bars(
        names,
        activated=[s["activated"] or 0 for s in rows],
        needed=[s["gap_people"] or 0 for s in rows],
        hovertemplate=hover,
    )
    height = max(260, 30 * len(rows) + 90)
    # The legend below the axis title (some 60 px under the plot), however few the segments.
    legend = {"orientation": "h", "yanchor": "top", "y": -60 / (height - 90)}
    return {
        "data": traces,
        "layout": stacked_bars_layout(height=height, unit=_("orang"), legend=legend),
    }


def monthly_chart(progress: RegionProgress, trend: Trend) -> dict | None:
    """New activations per month as bars, against the monthly pace the target now needs."""
    if not trend.months:
        return None
    traces = [
        trace(
            "bar",
            x=trend.months,
            y=trend.monthly,
            name=_("Aktivasi baru per bulan"),
            marker={"color": BLUE},
            hovertemplate="%{x|%B %Y}: %{y:,} " + _("orang") + "<extra></extra>",
            xperiod="M1",
            xperiodalignment="middle",
        )
    ]
    needed = progress.totals["needed_per_month"]
    if needed is not None:
        traces.append(
            trace(
                "scatter",
                x=[trend.months[0], trend.months[-1]],
                y=[float(needed), float(needed)],
                mode="lines",
                name=_("Dibutuhkan per bulan setelah tanggal data"),
                line={"color": VERMILLION, "dash": "dash", "width": 2},
                hovertemplate="%{y:,.0f} " + _("orang per bulan") + "<extra></extra>",
            )
        )
    return {
        "data": traces,
        "layout": base_layout(
            height=320,
            **people_over_time(),
            bargap=0.2,
            legend={"orientation": "h", "y": -0.2},
        ),
    }
