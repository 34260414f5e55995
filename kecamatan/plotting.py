"""What every chart shares, whichever room draws it: the colours, the layout, a trace, the
axes of people over time, and the same figure laid out for paper. Plotly.js JSON as plain dicts
(kecamatan/dashboard/charts.py says why)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Okabe–Ito: told apart by people with the common kinds of colour blindness.
BLUE, ORANGE, VERMILLION, SKY, GREY = "#0072B2", "#E69F00", "#D55E00", "#56B4E9", "#6b6b6b"


def base_layout(**extra) -> dict:
    """What every chart shares: our number format, a quiet font, room for labels on phones."""
    separators = ",." if get_language() == "id" else ".,"
    layout = {
        "separators": separators,
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"size": 13}},
        "legend": {"orientation": "h", "y": -0.15},
        **extra,
    }
    for axis in ("xaxis", "yaxis"):
        # Room for tick labels and titles, whatever their length in either language.
        layout[axis] = {"automargin": True, **layout.get(axis, {})}
    return layout


def for_paper(figure: dict | None, *, height: int) -> dict | None:
    """A figure laid out for an A4 page (the report's PDF): a fixed height, print-sized type,
    the legend whole below the plot, no room kept for a toolbar nobody hovers on paper."""
    if figure is None:
        return None
    layout = {
        **figure["layout"],
        "height": height,
        "font": {**figure["layout"]["font"], "size": 11},
        "margin": {**figure["layout"]["margin"], "t": 22, "b": 10},
    }
    if layout.get("showlegend", True):
        layout["legend"] = {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.14,
            "yanchor": "top",
            "font": {"size": 11},
            "traceorder": "normal",
        }
    return {**figure, "layout": layout}


def people_over_time() -> dict:
    """The axes of a chart of people (y, from zero) over months (x)."""
    return {
        "yaxis": {
            "title": {"text": _("orang")},
            "rangemode": "tozero",
            "gridcolor": "#e5e5e5",
            "tickformat": ",d",
        },
        "xaxis": {"gridcolor": "#f0f0f0"},
    }


def activated_and_needed_bars(names, *, activated, needed, **attributes) -> list[dict]:
    """Two stacked horizontal bars per name: people activated (blue) and people still needed
    for the target (orange) — segments on the dashboard, institutions on theirs."""
    return [
        trace(
            "bar",
            x=values,
            y=names,
            orientation="h",
            name=name,
            marker={"color": colour},
            **attributes,
        )
        for values, name, colour in (
            (activated, _("Sudah aktivasi"), BLUE),
            (needed, _("Masih dibutuhkan untuk target"), ORANGE),
        )
    ]


def trace(kind: str, **attributes) -> dict:
    """One plotly.js trace: `trace("bar", x=…, y=…)`. Dates and numbers as json_script writes
    them (dates ISO); give decimals as floats."""
    return {"type": kind, **attributes}


def stacked_bars_layout(*, height: int, unit: str, legend: dict, xaxis: dict | None = None):
    """The layout of a chart of horizontal stacked bars, one a row (segments, institutions,
    failure reasons): counts of `unit` along the bottom, the legend in a row under it."""
    return base_layout(
        barmode="stack",
        height=height,
        xaxis={
            "title": {"text": unit},
            "gridcolor": "#e5e5e5",
            "tickformat": ",d",
            **(xaxis or {}),
        },
        yaxis={"ticksuffix": " "},
        legend={"traceorder": "normal", **legend},
    )


def fan_traces(points: list[dict], *, name: str) -> list[dict]:
    """A forecast as a fan: its range as a band, its point as a line. `points`: dicts with
    `day`, `expected`, `low`, `high` (cumulative people); one a week is plenty."""
    days = [p["day"] for p in points]
    hover = "%{x|%d/%m/%Y}: %{y:,.0f} " + _("orang") + "<extra>%{fullData.name}</extra>"
    edge = {"color": "rgba(0,114,178,0)"}
    return [
        trace(
            "scatter",
            x=days,
            y=[round(p["low"]) for p in points],
            mode="lines",
            line=edge,
            name=_("Batas bawah perkiraan"),
            showlegend=False,
            hovertemplate=hover,
        ),
        trace(
            "scatter",
            x=days,
            y=[round(p["high"]) for p in points],
            mode="lines",
            line=edge,
            fill="tonexty",
            fillcolor="rgba(0,114,178,0.18)",
            name=_("Rentang perkiraan (80%)"),
            hovertemplate=hover,
        ),
        trace(
            "scatter",
            x=days,
            y=[round(p["expected"]) for p in points],
            mode="lines",
            line={"color": BLUE, "width": 3, "dash": "dash"},
            name=name,
            hovertemplate=hover,
        ),
    ]


def weekly(points: list) -> list:
    """One point a week, and the last."""
    return points[::7] + ([points[-1]] if points and (len(points) - 1) % 7 else [])
