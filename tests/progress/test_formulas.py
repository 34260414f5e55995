"""One place for the formulas: each SQL fragment gives what its Python twin gives, on awkward
values, in the database the suite runs on; and a figure is rounded once, from the exact value."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from ikd_dashboard.numbers import rounded
from kecamatan import formulas
from kecamatan.models import KtpHolderCount
from kecamatan.progress.runs import progress_recompute
from kecamatan.vocabulary import format_percent
from tests.conftest import regions_create, umum_activations_create

# (part, whole): exact halves at one and two decimals, 1 of 800, the smallest and largest counts,
# thirds, and a whole nation.
RATIOS = [
    (849, 20_000),  # 4,245%
    (1, 800),  # 0,125%
    (0, 5),
    (5, 5),
    (1, 3),
    (2, 3),
    (1, 280_000_000),
    (279_999_999, 280_000_000),
    (33_600, 680_000),
    (170_400, 7),
    (123_456_789, 987_654),
]


def _sql(expression: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}", params)
        return cursor.fetchone()[0]


def _kept(value) -> Decimal | None:
    """What the pages read back: SQLite hands back a float, PostgreSQL a numeric."""
    return None if value is None else Decimal(str(value)).quantize(formulas.EXACT)


def _agree(in_sql, in_python):
    """PostgreSQL keeps all 12 decimals. SQLite (the embedded default) computes in doubles, 15
    to 17 significant digits: exact for a percentage, the last decimals of a large pace differ.
    Both agree on every digit a reader, the API or a file sees."""
    if connection.vendor == "postgresql" or in_python is None or abs(in_python) < 1000:
        assert _kept(in_sql) == in_python
    for digits in (0, 1, 2):
        assert rounded(in_sql, digits) == rounded(in_python, digits)


@pytest.mark.django_db
@pytest.mark.parametrize(("part", "whole"), RATIOS)
def test_percent_in_sql_and_in_python_agree(part, whole):
    in_sql = _sql(formulas.percent_sql("%(a)s", "%(b)s"), {"a": part, "b": whole})
    _agree(in_sql, formulas.percent(part, whole))
    assert format_percent(_kept(in_sql)) == format_percent(formulas.percent(part, whole))


@pytest.mark.django_db
@pytest.mark.parametrize(("people", "days"), [(17, 3), (1, 30), (0, 7), (640_555, 1000), (5, 0)])
def test_paces_in_sql_and_in_python_agree(people, days):
    params = {"a": people, "b": days, "m": Decimal("30.4375")}
    _agree(_sql(formulas.per_day_sql("%(a)s", "%(b)s"), params), formulas.per_day(people, days))
    in_sql = _sql(formulas.per_month_sql("%(a)s", "%(b)s", "%(m)s"), params)
    _agree(in_sql, formulas.per_month(people, days, Decimal("30.4375")))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holders", "target_percent"), [(7, 30), (680_000, 30), (1, Decimal("27.5")), (0, 30)]
)
def test_the_target_in_people_is_rounded_up_in_both(holders, target_percent):
    bp = formulas.basis_points(target_percent)
    assert _sql(formulas.target_people_sql("%(a)s", "%(b)s"), {"a": holders, "b": bp}) == (
        formulas.target_people(holders, bp)
    )


def test_the_target_in_people_by_hand():
    assert formulas.target_people(7, formulas.basis_points(30)) == 3  # 2,1 → 3
    assert formulas.target_people(680_000, formulas.basis_points(30)) == 204_000
    assert formulas.target_people(1001, formulas.basis_points(Decimal("27.5"))) == 276  # 275,275


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "target", "elapsed", "span"),
    [(230, 690, 99, 365), (397, 141, 10, 300), (0, 10, 1, 3), (5, 10, 400, 365), (None, 10, 1, 2)],
)
def test_the_milestone_in_sql_and_in_python_agree(start, target, elapsed, span):
    sql = formulas.milestone_people_sql("%(s)s", "%(t)s", "%(e)s", "%(n)s")
    params = {"s": start, "t": target, "e": elapsed, "n": span}
    assert _sql(sql, params) == formulas.milestone_people(start, target, elapsed, span)


def test_a_segment_above_its_target_has_its_milestone_flat_at_the_target():
    assert formulas.milestone_people(397, 141, 10, 300) == 141


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "activated"), [(10, 3), (3, 10), (None, 3), (5, 5)])
def test_the_gap_in_sql_and_in_python_agree(target, activated):
    sql = formulas.gap_people_sql("%(t)s", "%(a)s")
    assert _sql(sql, {"t": target, "a": activated}) == formulas.gap_people(target, activated)


def test_rounding_is_once_and_half_up():
    assert format_percent(formulas.percent(849, 20_000)) == "4,2%"  # 4,245 → 4,2, never 4,3
    assert format_percent(formulas.percent(1, 800), digits=2) == "0,13%"  # 0,125 → 0,13
    assert format_percent(formulas.percent(1, 800)) == "0,1%"


@pytest.mark.django_db
def test_the_page_rounds_849_of_20000_once(staf_client):
    regions_create(
        [
            ("33.11", "Sukoharjo", "kabupaten", None),
            ("33.11.01", "Weru", "kecamatan", "33.11"),
            ("33.11.01.2001", "Alasombo", "desa", "33.11.01"),
        ]
    )
    KtpHolderCount.objects.create(
        region_id="33.11.01.2001", segment_id="umum", valid_from=dt.date(2023, 1, 1), holders=20_000
    )
    umum_activations_create("33.11.01.2001", dt.date(2025, 4, 1), range(849))
    progress_recompute(as_of=dt.date(2025, 4, 9))
    html = staf_client.get("/wilayah/33.11/").content.decode()
    assert 'data-testid="percent">4,2%</span>' in html  # 4,245%: never 4,3%
    api = staf_client.get("/api/v1/progress/?region=33.11").json()
    assert api["totals"]["percent"] == 4.25  # two decimals, rounded once from 4,245
