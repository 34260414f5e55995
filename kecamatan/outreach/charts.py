"""The outreach charts, in the dashboard's plotly.js JSON (kecamatan/dashboard/charts.py)."""

import textwrap

from django.utils.translation import gettext as _

from ..plotting import (
    BLUE,
    ORANGE,
    SKY,
    VERMILLION,
    base_layout,
    fan_traces,
    people_over_time,
    stacked_bars_layout,
    trace,
    weekly,
)
from ..vocabulary import format_target
from .yields import YieldRow

# A place type's longer name goes on two lines, so that on a phone the bars keep more width.
LABEL_WIDTH = 20


def _label(name: str) -> str:
    return "<br>".join(textwrap.wrap(name, LABEL_WIDTH, max_lines=2, placeholder="…"))


# Few ticks on the value axis: on a phone there is room for four, written level.
VALUE_AXIS = {"gridcolor": "#e5e5e5", "rangemode": "tozero", "nticks": 5, "tickangle": 0}


def yield_chart(rows: list[YieldRow]) -> dict | None:
    """Activations per held visit, one bar per place type, best on top."""
    rows = [r for r in rows if r.visits]
    if not rows:
        return None
    rows = list(reversed(rows))  # plotly draws the first bar at the bottom
    return {
        "data": [
            trace(
                "bar",
                x=[float(r.per_visit) for r in rows],
                y=[_label(r.label) for r in rows],
                orientation="h",
                marker={"color": BLUE},
                customdata=[[r.visits, r.activated] for r in rows],
                hovertemplate="<b>%{y}</b><br>"
                + _("Aktivasi per kegiatan")
                + ": %{x:.1f}<br>"
                + _("Kegiatan")
                + ": %{customdata[0]:,}<br>"
                + _("Aktivasi")
                + ": %{customdata[1]:,}<extra></extra>",
                name=_("Aktivasi per kegiatan"),
            )
        ],
        "layout": base_layout(
            height=max(220, 34 * len(rows) + 70),
            xaxis={**VALUE_AXIS, "title": {"text": _("per kegiatan")}},
            yaxis={"ticksuffix": " "},
            showlegend=False,
            bargap=0.3,
        ),
    }


def reasons_chart(reasons: list) -> dict | None:
    """People who could not activate, by reason: retryable in blue, final in vermillion."""
    rows = sorted((r for r in reasons if r.people), key=lambda r: r.people)
    if not rows:
        return None
    hover = "<b>%{y}</b><br>%{x:,} " + _("orang") + "<extra>%{fullData.name}</extra>"
    traces = []
    for retryable, name, colour in (
        (True, _("Bisa diulang"), BLUE),
        (False, _("Tidak bisa diulang"), VERMILLION),
    ):
        traces.append(
            trace(
                "bar",
                x=[r.people if r.retryable == retryable else 0 for r in rows],
                y=[r.name for r in rows],
                orientation="h",
                marker={"color": colour},
                name=name,
                hovertemplate=hover,
            )
        )
    return {
        "data": traces,
        "layout": stacked_bars_layout(
            height=max(240, 28 * len(rows) + 90),
            unit=_("orang"),
            # The long reason names leave a phone little room: three ticks at most.
            xaxis={**VALUE_AXIS, "nticks": 3, "title": {"text": _("orang")}},
            legend={"orientation": "h", "y": -0.25},
        ),
    }


def forecast_chart(plan) -> dict | None:
    """The fan to the deadline: activations expected with the team's plan (line) and its range
    (band), the straight line of the last 30 days' pace beside it, and the target."""
    f = plan.forecast
    if f is None or not plan.fan:
        return None
    points = weekly(plan.fan)
    hover = "%{x|%d/%m/%Y}: %{y:,.0f} " + _("orang") + "<extra>%{fullData.name}</extra>"
    traces = [
        *fan_traces(points, name=_("Perkiraan dengan rencana jemput bola")),
        trace(
            "scatter",
            x=[plan.as_of, f.deadline],
            y=[f.activated_now, f.activated_now + f.straight_line],
            mode="lines",
            line={"color": SKY, "dash": "dot", "width": 2},
            name=_("Garis lurus laju 30 hari terakhir"),
            hovertemplate=hover,
        ),
        trace(
            "scatter",
            x=[plan.as_of, f.deadline],
            y=[f.target_people, f.target_people],
            mode="lines",
            line={"color": ORANGE, "dash": "dash", "width": 2},
            name=_("Target %(percent)s") % {"percent": format_target(f.target_percent)},
            hovertemplate=hover,
        ),
    ]
    return {
        "data": traces,
        "layout": base_layout(
            height=340, **people_over_time(), legend={"orientation": "h", "y": -0.2}
        ),
    }
