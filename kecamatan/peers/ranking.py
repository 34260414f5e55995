"""Where we stand among our peers: the province's (or the nation's) kabupaten/kota on a date,
ranked by their percentage, with the median, each one's pace since the previous table, and us.

Ranks follow the exact ratio activated ÷ denominator (formulas.percent, twelve decimals): two
offices with the same ratio share a rank (1, 2, 2, 4); the pages show two decimals. A
kabupaten/kota of the province missing from a table is listed apart, unranked. The figures are
the table's own — its denominator may be on another basis than ours (`basis`)."""

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from ..formulas import gap_people, per_day, percent, target_people
from ..models import PeerFigure
from .reference import KabKota, kabkota_all, kabkota_of_province


@dataclass
class PeerRow:
    code: str
    name: str
    province: str
    activated: int
    denominator: int
    basis: str
    percent: Decimal
    rank: int = 0
    gain: int | None = None  # activations since the previous table …
    gain_days: int | None = None  # … over this many days
    pace_before: Decimal | None = None  # the pace between the two tables before
    still_needed: int | None = None  # people to the target on the table's denominator
    us: bool = False

    @property
    def pace_per_day(self) -> Decimal | None:
        """Activations per day since the previous table; None for the first."""
        return None if self.gain is None else per_day(self.gain, self.gain_days)

    @property
    def accelerating(self) -> bool | None:
        if self.pace_per_day is None or self.pace_before is None:
            return None
        return self.pace_per_day > self.pace_before


@dataclass
class PeerTable:
    scope: str
    as_of: dt.date
    source: str
    previous: dt.date | None
    rows: list[PeerRow]  # ranked, best first
    missing: list[KabKota] = field(default_factory=list)  # peers without a figure this date
    us: PeerRow | None = None
    median_percent: Decimal | None = None
    province: str = ""

    @property
    def of(self) -> int:
        return len(self.rows)

    @property
    def best(self) -> PeerRow | None:
        return self.rows[0] if self.rows else None


def ranked(rows: list[PeerRow]) -> list[PeerRow]:
    """Best first; equal percentages share a rank and the next rank skips (1, 2, 2, 4)."""
    rows = sorted(rows, key=lambda r: (-r.percent, r.code))
    for i, row in enumerate(rows):
        same = i and row.percent == rows[i - 1].percent
        row.rank = rows[i - 1].rank if same else i + 1
    return rows


def median_percent(rows: list[PeerRow]) -> Decimal | None:
    return statistics.median(r.percent for r in rows) if rows else None


def peer_dates(scope: str, *, province_code: str | None = None) -> list[dt.date]:
    """The dates with a table of `scope` (for a province: of its own table, or else the national
    one holding the province's rows), oldest first."""
    figures = _figures_of(scope, province_code)
    return sorted(set(figures.values_list("as_of", flat=True).distinct()))


def _figures_of(scope: str, province_code: str | None):
    if scope == PeerFigure.Scope.PROVINCE:
        own = PeerFigure.objects.filter(scope=scope, code__startswith=f"{province_code}.")
        if own.exists():
            return own
        scope = PeerFigure.Scope.NATIONAL  # no table from the province: the nation's rows of it
    figures = PeerFigure.objects.filter(scope=scope)
    if province_code:
        figures = figures.filter(code__startswith=f"{province_code}.")
    return figures


def peer_table(
    *,
    scope: str,
    us_code: str,
    as_of: dt.date | None = None,
    target_bp: int | None = None,
    dates: list[dt.date] | None = None,
) -> PeerTable | None:
    """The ranked table of `scope` on `as_of` (default: the latest table), for the office
    `us_code`; None when there is no table. `target_bp` (the target in hundredths of a point)
    gives each row the people still needed on its own denominator."""
    kabkota = kabkota_all()
    province_code = kabkota[us_code].province_code
    in_province = province_code if scope == PeerFigure.Scope.PROVINCE else None
    if dates is None:
        dates = peer_dates(scope, province_code=in_province)
    if as_of is None:
        as_of = dates[-1] if dates else None
    if as_of not in dates:
        return None
    i = dates.index(as_of)
    previous, before = (dates[i - 1] if i else None), (dates[i - 2] if i > 1 else None)
    wanted = [d for d in (as_of, previous, before) if d]
    figures = list(_figures_of(scope, in_province).filter(as_of__in=wanted))
    by_day: dict[dt.date, dict[str, PeerFigure]] = {d: {} for d in wanted}
    for figure in figures:
        by_day[figure.as_of][figure.code] = figure
    rows = []
    for code, figure in by_day[as_of].items():
        place = kabkota[code]
        row = PeerRow(
            code=code,
            name=place.name,
            province=place.province,
            activated=figure.activated,
            denominator=figure.denominator,
            basis=figure.basis,
            percent=percent(figure.activated, figure.denominator),
            us=code == us_code,
        )
        then = by_day.get(previous, {}).get(code)
        if then is not None:
            row.gain, row.gain_days = figure.activated - then.activated, (as_of - previous).days
        if previous and before:
            row.pace_before = _pace(
                by_day[previous].get(code), by_day[before].get(code), previous, before
            )
        if target_bp is not None:
            row.still_needed = gap_people(target_people(row.denominator, target_bp), row.activated)
        rows.append(row)
    rows = ranked(rows)
    sources = {f.source for f in by_day[as_of].values()}
    table = PeerTable(
        scope=scope,
        as_of=as_of,
        source=", ".join(sorted(sources)),
        previous=previous,
        rows=rows,
        us=next((r for r in rows if r.us), None),
        median_percent=median_percent(rows),
        province=kabkota[us_code].province,
    )
    if scope == PeerFigure.Scope.PROVINCE:
        found = by_day[as_of]
        table.missing = [k for k in kabkota_of_province(province_code) if k.code not in found]
    return table


def _pace(now: PeerFigure | None, then: PeerFigure | None, day, previous) -> Decimal | None:
    """Activations per day between two tables; None without both figures."""
    if now is None or then is None:
        return None
    return per_day(now.activated - then.activated, (day - previous).days)


def national_percent(*, as_of: dt.date) -> tuple[dt.date, Decimal] | None:
    """The nation's percentage (all its rows' activations ÷ their denominators) from the latest
    national table on or before `as_of`."""
    latest = (
        PeerFigure.objects.filter(scope=PeerFigure.Scope.NATIONAL, as_of__lte=as_of)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if latest is None:
        return None
    pairs = PeerFigure.objects.filter(scope=PeerFigure.Scope.NATIONAL, as_of=latest).values_list(
        "activated", "denominator"
    )
    activated = sum(a for a, _d in pairs)
    denominator = sum(d for _a, d in pairs)
    return (latest, percent(activated, denominator)) if denominator else None


@dataclass
class PeerHistory:
    """Our percentage beside the province's best and its median, on each table's date."""

    day: dt.date
    ours: Decimal | None
    best: Decimal
    best_name: str
    median: Decimal
    rank: int | None
    of: int


def peer_history(*, us_code: str) -> list[PeerHistory]:
    """Every province table, oldest first, in one query."""
    kabkota = kabkota_all()
    province_code = kabkota[us_code].province_code
    figures = _figures_of(PeerFigure.Scope.PROVINCE, province_code).values_list(
        "as_of", "code", "activated", "denominator"
    )
    by_day: dict[dt.date, list[PeerRow]] = {}
    for day, code, activated, denominator in figures:
        by_day.setdefault(day, []).append(
            PeerRow(
                code=code,
                name=kabkota[code].name,
                province="",
                activated=activated,
                denominator=denominator,
                basis="",
                percent=percent(activated, denominator),
                us=code == us_code,
            )
        )
    history = []
    for day in sorted(by_day):
        rows = ranked(by_day[day])
        us = next((r for r in rows if r.us), None)
        history.append(
            PeerHistory(
                day=day,
                ours=us.percent if us else None,
                best=rows[0].percent,
                best_name=rows[0].name,
                median=median_percent(rows),
                rank=us.rank if us else None,
                of=len(rows),
            )
        )
    return history
