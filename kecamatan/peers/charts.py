"""The ranking page's chart: our percentage beside the province's best and its median, on each
table's date (the same figures are in the table under it)."""

from django.utils.translation import gettext as _

from ..plotting import BLUE, GREY, ORANGE, base_layout, trace
from .ranking import PeerHistory


def standing_chart(history: list[PeerHistory]) -> dict | None:
    if len(history) < 2:
        return None
    days = [h.day for h in history]
    hover = "%{x|%d/%m/%Y}: %{y:.2f}%<extra>%{fullData.name}</extra>"
    lines = [
        (_("Terbaik se-provinsi"), [float(h.best) for h in history], GREY, "dot"),
        (_("Median provinsi"), [float(h.median) for h in history], ORANGE, "dash"),
        (_("Kita"), [float(h.ours) if h.ours is not None else None for h in history], BLUE, None),
    ]
    return {
        "data": [
            trace(
                "scatter",
                x=days,
                y=values,
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 3 if dash is None else 2, "dash": dash or "solid"},
                hovertemplate=hover,
            )
            for name, values, colour, dash in lines
        ],
        "layout": base_layout(
            height=300,
            yaxis={
                "title": {"text": _("% aktivasi")},
                "rangemode": "tozero",
                "gridcolor": "#e5e5e5",
                "ticksuffix": "%",
            },
            # A tick on each table's date: the points are those dates, not a calendar.
            xaxis={"gridcolor": "#f0f0f0", "tickformat": "%d/%m", "tickvals": days},
        ),
    }
