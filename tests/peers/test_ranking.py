"""Ranking, median, pace and what the next evaluation needs, on a hand-made table."""

import datetime as dt
from decimal import Decimal

import pytest

from kecamatan.models import PeerFigure
from kecamatan.peers.evaluation import (
    evaluation_needs,
    is_evaluation_day,
    latest_evaluation_table,
    next_evaluation,
)
from kecamatan.peers.ranking import PeerRow, peer_table, ranked
from kecamatan.peers.sentences import evaluation_headline, evaluation_needs_sentences
from tests.peers.peer_data import END, MID, peers_create


def _row(code, activated, denominator):
    from kecamatan.formulas import percent

    return PeerRow(code, code, "", activated, denominator, "", percent(activated, denominator))


def test_equal_percentages_share_a_rank_and_the_next_rank_skips():
    rows = ranked(
        [
            _row("a", 50, 1_000),  # 5%
            _row("b", 100, 2_000),  # 5%, the same ratio
            _row("c", 80, 1_000),  # 8%
            _row("d", 49, 1_000),  # 4,9%
        ]
    )
    assert [(r.code, r.rank) for r in rows] == [("c", 1), ("a", 2), ("b", 2), ("d", 4)]


@pytest.fixture
def table(db):
    peers_create()
    return peer_table(scope=PeerFigure.Scope.PROVINCE, us_code="33.11", target_bp=3000)


def test_the_province_table_ranks_by_percent_with_median_pace_and_us(table):
    assert table.as_of == END and table.previous == MID
    assert [(r.code, r.rank) for r in table.rows] == [
        ("33.02", 1),
        ("33.03", 2),
        ("33.01", 3),
        ("33.04", 4),
        ("33.11", 5),
    ]
    assert (table.us.code, table.us.rank, table.of) == ("33.11", 5, 5)
    assert table.median_percent == Decimal(6)  # Cilacap's 6%, the third of five
    cilacap = table.rows[2]
    assert cilacap.pace_per_day == Decimal("31.25")  # (6.000 − 5.500) / 16 days
    assert cilacap.accelerating is True  # 20 a day from 28 February to 15 March
    assert table.rows[3].pace_per_day is None  # Banjarnegara's first table
    # 30% of 100.000 is 30.000; 4.800 are there.
    assert table.us.still_needed == 25_200


def test_a_peer_missing_from_the_table_is_listed_apart_and_not_ranked(table):
    missing = {k.code for k in table.missing}
    assert len(missing) == 35 - 5 and "33.12" in missing  # Wonogiri sent no figure
    assert "33.12" not in {r.code for r in table.rows}


def test_what_the_next_evaluation_needs_worked_by_hand(table):
    needs = evaluation_needs(
        table, next_day=dt.date(2025, 4, 15), path=(12_000, 100_000), since=None
    )
    # Up one place: pass Banjarnegara, 2.500 of 50.000 (5%), standing still with no pace:
    # more than 5.000 of our 100.000, so 5.001 − 4.800 = 201.
    assert (needs.above.code, needs.up_one) == ("33.04", 201)
    # The median on 15 April, the others moved on 15 days at their pace, ours as it was:
    # 4,8%, 5%, Cilacap 6.000 + 31,25·15 = 6.468,75 of 100.000 (6,46875%), 8,775%, 10,9375%.
    assert needs.median_then == Decimal("6.468750000000")
    assert needs.to_median == 6_469 - 4_800
    # The straight line: 12.000 of our 100.000 holders, applied to the table's 100.000.
    assert needs.to_path == 12_000 - 4_800
    words = evaluation_needs_sentences(needs)
    assert words[0] == (
        "Naik satu peringkat pada 15 April 2025: +201 orang, untuk melewati Kabupaten "
        "Banjarnegara bila angkanya tetap."
    )
    assert words[1] == "Mencapai median provinsi (6,47% pada 15 April 2025): +1.669 orang."
    assert words[2] == "Berada di garis lurus target (12,00% pada 15 April 2025): +7.200 orang."
    assert evaluation_headline(needs) == "Penilaian 31 Maret 2025: 4,80%, peringkat 5/5."


def test_passing_a_peer_that_keeps_its_pace(db):
    peers_create()
    table = peer_table(scope=PeerFigure.Scope.PROVINCE, us_code="33.11", as_of=END)
    table.rows = [r for r in table.rows if r.code != "33.04"]  # without Banjarnegara
    needs = evaluation_needs(table, next_day=dt.date(2025, 4, 15), path=None, since=12)
    # Cilacap will have 6.468,75: we need 6.469 of 100.000, 1.669 more than our 4.800.
    assert (needs.above.code, needs.up_one) == ("33.01", 1_669)
    assert evaluation_needs_sentences(needs)[0] == (
        "Naik satu peringkat pada 15 April 2025: +1.669 orang, untuk melewati Kabupaten "
        "Cilacap bila lajunya tetap (31 per hari)."
    )
    since = evaluation_needs_sentences(needs)[-1]
    assert since.endswith("data kita sendiri mencatat +12 aktivasi.")


@pytest.mark.parametrize(
    "after, expected",
    [
        (dt.date(2025, 4, 9), dt.date(2025, 4, 15)),
        (dt.date(2025, 4, 15), dt.date(2025, 4, 30)),
        (dt.date(2025, 4, 30), dt.date(2025, 5, 15)),
        (dt.date(2025, 2, 16), dt.date(2025, 2, 28)),
        (dt.date(2024, 12, 31), dt.date(2025, 1, 15)),
    ],
)
def test_evaluation_days_are_the_15th_and_the_month_end(after, expected):
    assert next_evaluation(after) == expected
    assert is_evaluation_day(expected) and not is_evaluation_day(dt.date(2025, 4, 16))


def test_the_latest_evaluation_is_the_latest_table_on_an_evaluation_day():
    days = [dt.date(2025, 3, 15), dt.date(2025, 3, 31), dt.date(2025, 4, 7)]
    assert latest_evaluation_table(days) == dt.date(2025, 3, 31)
    assert latest_evaluation_table([dt.date(2025, 4, 7)]) == dt.date(2025, 4, 7)
    assert latest_evaluation_table([]) is None
