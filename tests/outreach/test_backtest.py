"""The forecast backtest (bench/bench_forecast.py) on a tiny history it can check by hand.

The small kabupaten (conftest.py: 3 desa, 285 activated by 10 April 2025) with two officers who
go anywhere, budi and sari, and a generated first half of 2025: one person a day activating
without a visit, and each working day one balai desa visit activating 4 people, the three desa
in turn. Working days in 2025: January 23, February 20, March 21.
"""

import pytest

from bench.bench_forecast import Outcome, Scenario, backtest, history_write, summary
from kecamatan.models import Region
from kecamatan.outreach.plan import outreach_plan
from tests.outreach.outreach_data import D, officer, visit

MARCH_3, APRIL_1, JUNE_30 = D(2025, 3, 3), D(2025, 4, 1), D(2025, 6, 30)
TINY = Scenario(
    first=D(2025, 1, 1),
    last=JUNE_30,
    organic_at=lambda day: 1.0,
    yield_at=lambda day: 4.0,
    visits_per_day=1,
    places=("desa",),
)


@pytest.fixture
def history(small_kabupaten):
    team = [officer("budi", "Budi"), officer("sari", "Sari")]
    history_write(scenario=TINY, root=small_kabupaten, officers=team)
    return small_kabupaten


def _backtest(region, origins=(MARCH_3, APRIL_1)):
    return backtest(region=region, origins=list(origins), until=JUNE_30)


def test_each_origin_gives_a_forecast_for_each_horizon_it_reached(history):
    outcomes = _backtest(history, origins=(MARCH_3, APRIL_1, D(2025, 5, 15)))
    assert [(o.origin, o.horizon) for o in outcomes] == [
        (MARCH_3, 30),
        (MARCH_3, 90),
        (APRIL_1, 30),
        (APRIL_1, 90),
        # 15 May + 90 days is after the history's last day: nothing to compare with.
        (D(2025, 5, 15), 30),
    ]
    for o in outcomes:
        assert o.low <= o.predicted <= o.high
        assert o.predicted > o.start  # a day's organic person and the visits add up


def test_the_error_is_against_what_was_counted_by_then(history):
    outcome = next(o for o in _backtest(history, origins=[MARCH_3]) if o.horizon == 30)
    # On 3 March: the small kabupaten's 80 + 50 + 90 + 10, the 62 organic days of January 1
    # to March 3, and 44 working days of visits (23 + 20 + Monday 3 March) at 4 people.
    assert outcome.start == 230 + 62 + 44 * 4 == 468
    # By 2 April: also 30 in Alasombo (20 March) and 20 in Tegalsari (1 April); 92 organic days
    # and 66 working days (23 + 20 + 21 + 1 and 2 April).
    assert outcome.actual == 280 + 92 + 66 * 4 == 636
    # The forecast: the count on 3 March, one person a day (the 60 days before held 60 people
    # outside any visit) and the visits the plan books from 4 March to 2 April, 4 people each.
    plan = outreach_plan(region=history, as_of=MARCH_3, weeks=5, cached=False)
    booked = [line for line in plan.draft if line.day <= D(2025, 4, 2)]
    assert booked and {line.expected for line in booked} == {4}
    assert plan.forecast.organic_per_day == 1.0
    assert outcome.predicted == pytest.approx(468 + 30 * 1.0 + 4 * len(booked))
    assert outcome.error == pytest.approx(outcome.predicted - 636)
    # Every visit yielded 4, so the range is the organic one alone: the 90 days before held
    # 62 + 10 (Puron, 31 December) people outside a visit, 0,8 a day; the 30 days, 1 a day.
    assert outcome.low == pytest.approx(468 + 30 * 0.8 + 4 * len(booked), abs=0.1)
    assert outcome.high == pytest.approx(outcome.predicted, abs=0.1)
    assert outcome.held == (outcome.low <= 636 <= outcome.high)


def test_visits_after_the_origin_are_unknown_to_its_forecast(history):
    before = _backtest(history, origins=[MARCH_3])
    puron = Region.objects.get(code="33.11.02.2001")
    visit(puron.code, "pasar", "Pasar Puron", "held", D(2025, 3, 10), [], 40)
    after = _backtest(history, origins=[MARCH_3])
    assert [o.predicted for o in after] == [o.predicted for o in before]


def test_the_summary_is_the_mean_of_the_origins_errors():
    def outcome(horizon, predicted, low, high, actual):
        return Outcome(MARCH_3, horizon, 100, predicted, low, high, actual)

    rows = [
        outcome(30, 130, 120, 140, 125),  # 5 too high, held
        outcome(30, 110, 105, 115, 125),  # 15 too low, outside
        outcome(90, 200, 150, 250, 200),  # right, held
    ]
    thirty, ninety = summary(rows)
    assert (thirty.horizon, thirty.origins, ninety.origins) == (30, 2, 1)
    assert thirty.mae == 10 and thirty.bias == -5
    assert thirty.mae_percent == pytest.approx(100 * 10 / 125)
    assert thirty.mae_gain_percent == pytest.approx(100 * 10 / 25)
    assert (thirty.predicted_gain, thirty.actual_gain) == (20, 25)
    assert thirty.coverage == 0.5 and ninety.coverage == 1.0
    assert ninety.mae == 0 and ninety.bias == 0


def test_coverage_is_a_share_of_the_origins(history):
    outcomes = _backtest(history)
    for s in summary(outcomes):
        assert 0 <= s.coverage <= 1
        assert s.coverage * s.origins == sum(o.held for o in outcomes if o.horizon == s.horizon)
    assert {s.horizon for s in summary(outcomes)} == {30, 90}
