"""The plan an office can carry out: the draft schedule for the next weeks within the team's
capacity, the forecast to the deadline it leads to, what reaching the target would take, and
accepting the draft as planned visits. One entry point for the page, the API and the backtest.

A plan reads a few GROUP BYs and runs the schedule in memory; the result is cached until the
data, the visits, the holidays or the absences change.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..models import Region, Visit
from ..pagecache import page_key, pages_generation
from ..vocabulary import format_day, format_people, format_percent, format_rate, format_target
from .capacity import Capacity
from .forecast import Forecast, PlanInputs, Planner
from .schedule import Line, Schedule
from .visits import VisitData, visit_record

DEFAULT_WEEKS = 4
MAX_WEEKS = 13  # a quarter: beyond it a draft is a guess, not a schedule
CACHE_SECONDS = 600
# Until the data change (the key holds the generation), or a day: the warm-up runs each morning.
LATEST_SECONDS = 26 * 3600
# Accepted drafts get an id made from what they are, so accepting twice adds nothing.
ACCEPT_NAMESPACE = uuid.UUID("0b7f1c1e-7a1d-4a0e-9d55-1c3a5e1f2b30")


@dataclass
class Plan:
    region: Region
    as_of: dt.date
    weeks: int
    days_per_week: int
    first: dt.date
    last: dt.date
    capacity: Capacity
    draft: list[Line]
    forecast: Forecast | None
    fan: list[dict]  # per day to the deadline: expected, low, high activated (cumulative)
    what_if: bool  # the team is not the real one: nothing to accept

    @property
    def expected_total(self) -> int:
        return sum(line.expected for line in self.draft)

    @property
    def draft_visits(self) -> int:
        return len(self.draft)

    @property
    def new_lines(self) -> list[Line]:
        return [line for line in self.draft if not line.fixed]


def _fingerprint() -> tuple:
    """What a plan reads besides the figures (those bump the page generation), in one query:
    the visits, the absences, the holidays and the Petugas accounts as they stand."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT COUNT(*) FROM kecamatan_visit),
                   (SELECT MAX(updated_at) FROM kecamatan_visit),
                   (SELECT COUNT(*) FROM kecamatan_officerabsence),
                   (SELECT MAX(id) FROM kecamatan_officerabsence),
                   (SELECT COUNT(*) FROM kecamatan_holiday),
                   (SELECT MAX(id) FROM kecamatan_holiday),
                   (SELECT COUNT(*) FROM auth_user_groups),
                   (SELECT MAX(id) FROM auth_user_groups),
                   (SELECT COUNT(*) FROM auth_user WHERE is_active),
                   (SELECT MAX(date_joined) FROM auth_user)
            """
        )
        return tuple(str(value) for value in cursor.fetchone())


def outreach_plan(
    *,
    region: Region,
    as_of: dt.date,
    weeks: int = DEFAULT_WEEKS,
    officers: int | None = None,
    days_per_week: int = 5,
    cached: bool = True,
) -> Plan:
    """The plan made on `as_of` (the data date, or an earlier day for the backtest): from the
    activations and the visits up to it."""
    fingerprint = _fingerprint()
    key = page_key(
        pages_generation(), "plan", region.code, as_of, weeks, officers, days_per_week, fingerprint
    )
    plan = cache.get(key) if cached else None
    if plan is None:
        plan = _plan(region, as_of, weeks, officers, days_per_week, fingerprint)
        if cached:
            cache.set(key, plan, CACHE_SECONDS)
    if not plan.what_if and plan.forecast is not None:
        # What the dashboard shows beside its straight line: the real team's forecast, as the
        # plan page or the morning's warm-up last made it for these data.
        cache.set(_latest_key(region.code), replace(plan, draft=[]), LATEST_SECONDS)
    return plan


def _latest_key(code: str) -> str:
    return page_key(pages_generation(), "plan-latest", code)


def latest_forecast(region: Region) -> Plan | None:
    """The real team's latest plan for `region` on the current data, without its draft; None
    until the plan page or the warm-up has made one. Never computed here: a cache read."""
    return cache.get(_latest_key(region.code))


def plans_warm(regions: list[Region], as_of: dt.date) -> int:
    """Make the real team's plan for each region (the kabupaten and its kecamatan, every
    morning after the night's recompute), so that the dashboard has its forecast."""
    for region in regions:
        outreach_plan(region=region, as_of=as_of)
    return len(regions)


def _plan(region, as_of, weeks, officers, days_per_week, fingerprint) -> Plan:
    planner = Planner(
        PlanInputs(region=region, as_of=as_of, officers=officers, days_per_week=days_per_week)
    )
    first, last = as_of + dt.timedelta(days=1), as_of + dt.timedelta(days=7 * weeks)
    deadline = planner.progress.totals.get("target_deadline") if planner.progress else None
    # Greedy by day is causal: the run to the deadline begins with the draft of the next weeks.
    run_to = max(deadline, last) if deadline and deadline > as_of else last
    schedule = planner.schedule(run_to)
    forecast = planner.forecast(schedule)
    if forecast is not None:
        # The search for the team the target takes is nine tenths of a plan's time, and its
        # answer does not depend on the team a what-if starts from: once per data and week.
        key = page_key(
            pages_generation(), "officers-needed", region.code, as_of, days_per_week, fingerprint
        )
        known = cache.get(key)
        planner.what_it_takes(forecast, known=known)
        if known is None and not forecast.reached:
            cache.set(key, (forecast.officers_needed,), LATEST_SECONDS)
    draft_days = set(d for d in schedule.capacity.days if d <= last)
    draft = [line for line in schedule.lines if line.day <= last]
    capacity = Capacity(
        days=sorted(draft_days),
        officers=schedule.capacity.officers,
        busy={(u, d) for u, d in schedule.capacity.busy if d <= last},
        commitments=[v for v in schedule.capacity.commitments if v.planned_on <= last],
    )
    return Plan(
        region=region,
        as_of=as_of,
        weeks=weeks,
        days_per_week=days_per_week,
        first=first,
        last=last,
        capacity=capacity,
        draft=draft,
        forecast=forecast,
        fan=_fan(forecast, schedule, as_of) if forecast else [],
        what_if=officers is not None or days_per_week != 5,
    )


def _fan(forecast: Forecast, schedule: Schedule, as_of: dt.date) -> list[dict]:
    """Cumulative activations expected each day to the deadline, with the range: the draft's
    visits at the team's track record (Forecast.plan / plan_full), as the forecast counts them."""
    days = forecast.days
    scale = forecast.plan / forecast.plan_full if forecast.plan_full else 0.0
    rate = forecast.organic_per_day
    low_rate = forecast.organic_low / days if days else 0
    high_rate = forecast.organic_high / days if days else 0
    by_day: dict[dt.date, list[int]] = {}
    for line in schedule.lines:
        totals = by_day.setdefault(line.day, [0, 0, 0])
        totals[0] += line.expected
        totals[1] += line.low
        totals[2] += line.high
    points, plan = [], [0, 0, 0]
    for offset in range(days + 1):
        day = as_of + dt.timedelta(days=offset)
        for i, n in enumerate(by_day.get(day, (0, 0, 0)) if offset else (0, 0, 0)):
            plan[i] += n
        start = forecast.activated_now
        points.append(
            {
                "day": day,
                "expected": start + rate * offset + plan[0] * scale,
                "low": start + low_rate * offset + plan[1] * scale,
                "high": start + high_rate * offset + plan[2] * scale,
            }
        )
    return points


def accept_draft(*, plan: Plan, by: User) -> tuple[int, int]:
    """The draft's new lines become planned visits, with their officers and expected people.
    Returns (added, already there): a line accepted before keeps its visit (its id is made
    from its day, desa and place type), so accepting twice adds nothing."""
    if plan.what_if:
        raise ValueError("A what-if plan has no real team to book.")
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    added = kept = 0
    with transaction.atomic():
        for line in plan.new_lines:
            client_id = uuid.uuid5(
                ACCEPT_NAMESPACE, f"{line.day:%Y-%m-%d}|{line.desa.code}|{line.place}"
            )
            data = VisitData(
                region=Region.objects.get(code=line.desa.code),
                place=line.place,
                location=default_location(line),
                status=Visit.Status.PLANNED,
                planned_on=line.day,
                officers=[users[o.username] for o in line.officers if o.username in users],
                expected=line.expected,
                note=_("Dari rencana otomatis: %(why)s") % {"why": line.why},
                client_id=client_id,
            )
            _visit, outcome = visit_record(data=data, by=by)
            added += outcome == "created"
            kept += outcome != "created"
    return added, kept


def default_location(line: Line) -> str:
    """A name the officer replaces with the school's or the market's own."""
    return _("%(place)s, %(desa)s") % {"place": line.place_label, "desa": line.desa.name}


def forecast_sentences(plan: Plan) -> list[str]:
    """The forecast in words, as a head of office reads it out: where the team's track record
    leads, where the draft carried out in full would, and what the target takes."""
    f = plan.forecast
    if f is None:
        return []
    days = _("Senin–Sabtu") if plan.days_per_week == 6 else _("Senin–Jumat")
    sentences = [
        _(
            "Dengan %(officers)s petugas (%(days)s) bekerja seperti 60 hari terakhir "
            "(%(use)s hari-petugas terpakai), capaian %(deadline)s diperkirakan %(percent)s "
            "(%(low)s–%(high)s)."
        )
        % {
            "officers": format_people(f.officers),
            "days": days,
            "use": format_percent(f.team_use * 100, digits=0),
            "deadline": format_day(f.deadline),
            "percent": format_percent(f.percent_of(f.activated)),
            "low": format_percent(f.percent_of(f.low)),
            "high": format_percent(f.percent_of(f.high)),
        },
        _("Bila jadwal usulan dijalankan penuh setiap hari kerja: %(percent)s.")
        % {"percent": format_percent(f.percent_of(f.activated_now + f.organic + f.plan_full))},
    ]
    target = format_target(f.target_percent)
    if f.reached:
        sentences.append(
            _("Target %(target)s tercapai sekitar %(day)s.")
            % {"target": target, "day": format_day(f.reaches_target_on)}
        )
    elif f.officers_needed:
        sentences.append(
            _(
                "Target %(target)s butuh sekitar %(n)s petugas yang menjalankan jadwal penuh, "
                "atau %(x)s× hasil per kegiatan."
            )
            % {
                "target": target,
                "n": format_people(f.officers_needed),
                "x": format_rate(f.yield_multiple_needed),
            }
        )
    elif f.yield_multiple_needed:
        sentences.append(
            _(
                "Target %(target)s tidak tercapai dengan menambah petugas saja: orang yang bisa "
                "dijangkau habis lebih dulu. Dibutuhkan %(x)s× hasil per kegiatan."
            )
            % {"target": target, "x": format_rate(f.yield_multiple_needed)}
        )
    return sentences


def track_record_words(f: Forecast | None) -> dict:
    """The two factors of the forecast's visits as the page shows them: `17%`, `36%`."""
    if f is None:
        return {}
    return {
        "use": format_percent(f.team_use * 100, digits=0),
        "realism": format_percent(f.yield_realism * 100, digits=0),
    }


def draft_rows(plan: Plan) -> list[list]:
    """The draft as a sheet an officer edits: one visit a row."""
    rows = [
        [
            _("Tanggal"),
            _("Kode wilayah"),
            _("Desa/Kelurahan"),
            _("Kecamatan"),
            _("Jenis tempat"),
            _("Nama lokasi"),
            _("Petugas"),
            _("Perkiraan aktivasi"),
            _("Perkiraan terendah"),
            _("Perkiraan tertinggi"),
            _("Sudah direncanakan"),
            _("Alasan"),
        ]
    ]
    for line in plan.draft:
        rows.append(
            [
                line.day,
                line.desa.code,
                line.desa.name,
                line.desa.kecamatan_name,
                line.place_label,
                "" if not line.fixed else _("(lihat kegiatan)"),
                ", ".join(o.name for o in line.officers),
                line.expected,
                line.low,
                line.high,
                _("ya") if line.fixed else _("tidak"),
                line.why,
            ]
        )
    return rows
