"""Our standing among peers as the ranking page, the dashboard's card, the report and the API
read it: the province's table on a date, the nation's, our history against the province's best
and median, and what the next evaluation needs — in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from ..formulas import basis_points
from ..models import PeerFigure, Region
from ..pagecache import TIMEOUT_SECONDS, generation_memo, pages_generation
from ..progress.selectors import activations_between, progress_data_date, progress_figures
from ..progress.targets import denominator_on, target_in_force
from ..regions import region_root
from .evaluation import EvaluationNeeds, evaluation_needs, latest_evaluation_table, next_evaluation
from .ranking import PeerHistory, PeerTable, national_percent, peer_dates, peer_history, peer_table
from .reference import kabkota_all


@dataclass
class Standing:
    us_code: str
    province: str
    dates: list[dt.date]  # the province's tables
    table: PeerTable | None  # on the date asked for (default: the latest)
    national: PeerTable | None  # the nation's table on or before that date
    national_percent: tuple[dt.date, Decimal] | None
    history: list[PeerHistory]
    needs: EvaluationNeeds | None  # at the latest evaluation table
    ours_on_date: dict | None  # our own figures on the table's date, to reconcile
    target_percent: Decimal | None


def our_code(root: Region | None = None) -> str | None:
    """Our kabupaten/kota's Kemendagri code, when the office's region is one of the 514."""
    root = root or region_root()
    return root.code if root and root.code in kabkota_all() else None


def standing(
    *, as_of: dt.date | None = None, with_history: bool = True, until: dt.date | None = None
) -> Standing | None:
    """Everything the ranking page shows; None when the office is not a kabupaten/kota. With
    `until` (a report's last day), as it stood then: tables up to that day, our data to it."""
    root = region_root()
    us = our_code(root)
    if us is None:
        return None
    province_code = kabkota_all()[us].province_code
    dates = peer_dates(PeerFigure.Scope.PROVINCE, province_code=province_code)
    data_date = until or progress_data_date()
    if until:
        dates = [d for d in dates if d <= until]
    target = target_in_force(on=as_of or data_date, region=root)
    bp = basis_points(target.percent) if target else None
    table = peer_table(
        scope=PeerFigure.Scope.PROVINCE, us_code=us, as_of=as_of, target_bp=bp, dates=dates
    )
    day = table.as_of if table else (as_of or data_date)
    national_dates = [d for d in peer_dates(PeerFigure.Scope.NATIONAL) if d <= day]
    national = (
        peer_table(
            scope=PeerFigure.Scope.NATIONAL,
            us_code=us,
            as_of=national_dates[-1],
            target_bp=bp,
            dates=national_dates,
        )
        if national_dates
        else None
    )
    return Standing(
        us_code=us,
        province=kabkota_all()[us].province,
        dates=dates,
        table=table,
        national=national,
        national_percent=national_percent(as_of=day),
        history=peer_history(us_code=us) if with_history else [],
        needs=_needs(root, us, dates, bp, data_date),
        ours_on_date=_ours(root, table.as_of) if table else None,
        target_percent=target.percent if target else None,
    )


def _needs(root: Region, us: str, dates, bp, data_date) -> EvaluationNeeds | None:
    at = latest_evaluation_table(dates)
    if at is None:
        return None
    table = peer_table(
        scope=PeerFigure.Scope.PROVINCE, us_code=us, as_of=at, target_bp=bp, dates=dates
    )
    next_day = next_evaluation(max(at, data_date))
    ours = progress_figures(scope=root, as_of=next_day, codes=[root.code]).get(root.code, {})
    milestone, holders = ours.get("milestone_people"), ours.get("holders")
    since = (
        activations_between(region=root, first=at + dt.timedelta(days=1), last=data_date)
        if data_date > at
        else None
    )
    return evaluation_needs(
        table,
        next_day=next_day,
        path=(milestone, holders) if milestone is not None and holders else None,
        since=since,
    )


def _ours(root: Region, day: dt.date) -> dict:
    """Our own activated and denominator on a table's date (reconciliation line)."""
    figures = progress_figures(scope=root, as_of=day, codes=[root.code]).get(root.code, {})
    return {
        "activated": figures.get("activated"),
        "holders": figures.get("holders"),
        "percent": figures.get("percent"),
        "denominator": denominator_on(day),
    }


def standing_card() -> Standing | None:
    """The dashboard's card (no history): once per data generation in each process, and once in
    all of them where the cache is shared. Without any table, one query says so."""
    generation = pages_generation()

    def compute():
        if not PeerFigure.objects.exists():
            return None
        return cache.get_or_set(
            f"ikd:peers:card:{generation}",
            lambda: standing(with_history=False),
            TIMEOUT_SECONDS,
        )

    return generation_memo("peers-card", generation, compute)
