"""One vocabulary of figures: precision, the pace unit, projections, the milestone, fair month
comparisons and the segment gaps that add up to more than the total — worked out by hand."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from kecamatan.vocabulary import (
    MonthComparison,
    format_number,
    format_percent,
    format_points,
    format_rate,
    gap_sum_explanation,
    milestone_sentence,
    month_stretches,
    projection_of,
)

DEADLINE = dt.date(2025, 12, 31)


def _figures(**changes) -> dict:
    figures = {
        "target_percent": Decimal("30.00"),
        "target_deadline": DEADLINE,
        "gap_people": 170_400,
        "pace_30d_per_day": Decimal("8.53"),
        "needed_per_day": Decimal("640.60"),
        "projected_date": None,
    }
    return {**figures, **changes}


def test_a_pace_is_whole_from_ten_up_one_decimal_below_and_two_when_tiny():
    assert [format_rate(v) for v in (Decimal("640.60"), Decimal("10"), Decimal("8.53"))] == [
        "641",
        "10",
        "8,5",
    ]
    # 1 person in 30 days is 0,03 a day: never "0" next to a projected date.
    assert format_rate(Decimal("0.03")) == "0,03"
    assert format_rate(Decimal("0.10")) == "0,1"
    assert format_rate(0) == "0"


def test_percentages_have_one_decimal_and_a_tiny_one_is_not_zero():
    assert format_percent(Decimal("4.94")) == "4,9%"
    assert format_percent(Decimal("0.03")) == "<0,1%"
    assert format_percent(0) == "0,0%"
    assert format_points(1.09) == "1,1"
    assert format_points(0.01) == "<0,1"


def test_the_same_figures_in_english_use_english_separators():
    with translation.override("en"):
        assert format_rate(Decimal("8.53")) == "8.5"
        assert format_percent(Decimal("4.94")) == "4.9%"


def test_a_projection_beyond_the_deadline_says_not_reached_and_the_pace_needed():
    # The demo: 8,53 a day against 640,6 needed; the SQL leaves the date out (2079 is too far).
    projection = projection_of(_figures())
    assert projection.kind == "late" and projection.date is None
    assert projection.headline == "Tidak tercapai pada tenggat"
    assert projection.sentence == (
        "Dengan laju 30 hari terakhir (8,5/hari) target tidak tercapai pada tenggat "
        "31 Desember 2025; dibutuhkan 641 orang per hari, 75 kali laju sekarang."
    )


def test_a_projection_a_little_after_the_deadline_gives_its_month():
    projection = projection_of(
        _figures(pace_30d_per_day=Decimal("500"), projected_date=dt.date(2026, 2, 14))
    )
    assert projection.kind == "late"
    assert projection.sentence.endswith("(dengan laju sekarang baru sekitar Februari 2026).")


def test_a_projection_before_the_deadline_is_on_track():
    projection = projection_of(
        _figures(pace_30d_per_day=Decimal("900"), projected_date=dt.date(2025, 10, 2))
    )
    assert projection.kind == "on_track"
    assert "tercapai sekitar Oktober 2025, sebelum tenggat 31 Desember 2025" in projection.sentence


def test_no_pace_reached_and_a_passed_deadline_each_say_so():
    assert projection_of(_figures(pace_30d_per_day=Decimal("0"))).kind == "no_pace"
    assert projection_of(_figures(gap_people=0)).kind == "reached"
    assert projection_of(_figures(needed_per_day=None)).kind == "deadline_passed"
    assert projection_of(_figures(target_percent=None, gap_people=None)).kind == "no_target"


def test_the_milestone_is_what_should_have_been_reached_by_the_data_date():
    figures = {"milestone_people": 79_213, "activated": 33_600}
    assert milestone_sentence(figures, as_of=dt.date(2025, 4, 9)) == (
        "Seharusnya sudah 79.213 orang pada 9 April 2025; tertinggal 45.613 orang."
    )


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before():
    (first, last), (p_first, p_last) = month_stretches(
        month=dt.date(2025, 4, 1), last=dt.date(2025, 4, 9)
    )
    assert (first, last, p_first, p_last) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 9),
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 9),
    )
    comparison = MonthComparison(first, last, 80, p_first, p_last, 95)
    assert not comparison.by_rate and comparison.direction == "less"
    assert comparison.sentence == (
        "1–9 April 2025: 80 orang aktivasi, lebih sedikit dari 9 hari yang sama bulan "
        "sebelumnya, 1–9 Maret 2025 (95 orang)."
    )


def test_a_stretch_longer_than_the_month_before_is_compared_by_daily_rate():
    # 30 March: 30 days so far, but February has 28. 90 in 30 days (3,0 a day) against 84 in
    # 28 (3,0 a day): the same pace, though 90 > 84.
    (first, last), (p_first, p_last) = month_stretches(
        month=dt.date(2025, 3, 1), last=dt.date(2025, 3, 30)
    )
    assert (p_first, p_last) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    comparison = MonthComparison(first, last, 90, p_first, p_last, 84)
    assert comparison.by_rate and comparison.direction == "same"
    assert comparison.sentence == (
        "1–30 Maret 2025: 90 orang aktivasi (3,0/hari), sama cepat dengan Februari 2025 "
        "(84 orang, 3,0/hari)."
    )


def test_whole_months_compare_whole_months():
    (first, last), (p_first, p_last) = month_stretches(
        month=dt.date(2025, 4, 1), last=dt.date(2025, 4, 30)
    )
    assert (p_first, p_last) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    comparison = MonthComparison(first, last, 300, p_first, p_last, 250)
    # April has 30 days and March 31: by daily rate, 10 against 8,1 a day.
    assert comparison.by_rate and comparison.direction == "more"
    assert comparison.sentence.startswith("April 2025: 300 orang aktivasi (10/hari), lebih cepat")


def test_segment_gaps_above_the_headline_gap_are_explained_in_one_sentence():
    # The demo: ASN 6.068 of 7.400 (target 2.220, above it), pelajar short by 3.120, umum by
    # 174.029; total gap 170.400.
    segments = [
        {"name": "ASN", "activated": 6068, "gap_people": 0},
        {"name": "Pelajar 17+", "activated": 4080, "gap_people": 3120},
        {"name": "Masyarakat umum", "activated": 18135, "gap_people": 174_029},
    ]
    total = {"gap_people": 170_400}
    sentence = gap_sum_explanation(total=total, parts=segments, unit="segmen")
    assert sentence == (
        "Kekurangan per segmen berjumlah 177.149 orang, 6.749 lebih banyak dari kekurangan "
        "total (170.400): 6.749 orang karena 1 segmen yang sudah melampaui targetnya ikut "
        "dihitung dalam angka total, tetapi kelebihannya tidak menutup kekurangan segmen lain."
    )
    total = {"gap_people": 177_149}
    assert gap_sum_explanation(total=total, parts=segments, unit="segmen") is None


def test_kecamatan_gaps_that_add_up_to_more_say_both_reasons_in_people():
    # 30%: the kabupaten's 1.001 holders → 301 (300,3 up); kecamatan of 334, 334 and 333 →
    # 101 + 101 + 100 = 302: one person more from rounding each up. C is 5 above its target.
    kecamatan = [
        {"name": "A", "activated": 50, "target_people": 101, "gap_people": 51},
        {"name": "B", "activated": 60, "target_people": 101, "gap_people": 41},
        {"name": "C", "activated": 105, "target_people": 100, "gap_people": 0},
    ]
    total = {"activated": 215, "target_people": 301, "gap_people": 86}
    assert gap_sum_explanation(total=total, parts=kecamatan, unit="kecamatan") == (
        "Kekurangan per kecamatan berjumlah 92 orang, 6 lebih banyak dari kekurangan total (86): "
        "5 orang karena 1 kecamatan yang sudah melampaui targetnya ikut dihitung dalam angka "
        "total, tetapi kelebihannya tidak menutup kekurangan kecamatan lain; 1 orang karena "
        "target tiap kecamatan dibulatkan ke atas ke orang utuh."
    )


def test_numbers_read_exactly_as_djangos_floatformat_writes_them_in_both_languages():
    """format_number is a faster floatformat: for every kind of value a page shows, one text."""
    rng = random.Random(16)
    values = [0, 1, -1, 999, 1000, -1000, 170_400, 680_000, 10**9, True, None, "•", "<5"]
    values += [rng.randint(-(10**7), 10**7) for _ in range(300)]
    values += [Decimal(rng.randint(-(10**8), 10**8)).scaleb(-2) for _ in range(300)]
    values += [Decimal(f"{n}.{d}5") for n in (0, 1, 2, 999, 1234) for d in range(10)]
    values += [Decimal("-0.04"), Decimal("0.00"), Decimal("-0.00"), Decimal("1E+3"), Decimal("NaN")]
    values += [rng.uniform(-1e6, 1e6) for _ in range(300)]
    values += [0.05, 0.15, 0.25, 2.675, -0.04, 1e-7, 1e16, float("inf")]
    for language in ("id", "en"):
        with translation.override(language):
            for digits in (0, 1, 2, 3, -1, -2, "1"):
                for value in values:
                    assert format_number(value, digits) == floatformat(value, f"{digits}g"), (
                        value,
                        digits,
                    )


# The children's and the monthly table's rows are built in Python (templatetags/ikd.py) for
# speed; this is the template they replaced, which they must match byte for byte.
_CHILD_ROWS_AS_TEMPLATE = """{% load i18n l10n ikd %}{% for c in children %}
      <tr>
        <th scope="row" data-sort="{{ c.name }}"><a href="{{ c.url }}{% if query %}?{{ query }}{% endif %}">{{ c.name }}</a></th>
        <td class="num" data-sort="{{ c.percent|unlocalize }}">{{ c.percent|persen }}</td>
        <td class="num" data-sort="{{ c.activated|unlocalize }}">{{ c.activated|angka }}</td>
        <td class="num wide" data-sort="{{ c.holders|unlocalize }}">{{ c.holders|angka }}</td>
        <td class="num" data-sort="{{ c.gap_people|unlocalize }}">{{ c.gap_people|angka }}</td>
        <td class="num wide" data-sort="{{ c.pace_30d_per_day|unlocalize }}">{{ c.pace_30d_per_day|laju }}</td>
        <td class="num wide" data-sort="{{ c.needed_per_day|unlocalize }}">{{ c.needed_per_day|laju }}</td>
        <td class="wide">{% if c.status == "ahead" %}<span class="status-ahead">{% translate "di depan" %}</span>{% elif c.status == "behind" %}<span class="status-behind">{% blocktranslate with n=c.milestone_people|sub:c.activated|angka %}tertinggal {{ n }}{% endblocktranslate %}</span>{% endif %}</td>
      </tr>
    {% endfor %}|{% for month, new, total in monthly_rows %}<tr><th scope="row">{{ month|tanggal }}</th><td class="num">{{ new|angka }}</td><td class="num">{{ total|angka }}</td></tr>{% endfor %}"""  # noqa: E501
_CHILD_ROWS_AS_TAGS = (
    "{% load ikd %}{% child_rows children query %}|{% monthly_rows monthly_rows %}"
)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("query", ["", "urut=persen&segmen=asn"])
def test_the_rows_built_in_python_are_the_templates_byte_for_byte(language, query):
    from django.template import Context, Template
    from django.utils import translation

    def child(name, status, **figures):
        base = {
            "name": name,
            "url": "/wilayah/33.11.01/",
            "percent": 4.94,
            "activated": 1234,
            "holders": 45678,
            "gap_people": 12469,
            "pace_30d_per_day": 8.5,
            "needed_per_day": 41.25,
            "milestone_people": 2000,
            "status": status,
        }
        return {**base, **figures}

    children = [
        child("Weru", "ahead"),
        child("Bulu & <Tawangsari>", "behind", percent=None, pace_30d_per_day=None),
        child("Nguter", None, activated="<5", holders=3, gap_people=None, needed_per_day=0.034),
        child("Polokarto", "behind", activated=0, percent=0.0, needed_per_day=1234567.5),
    ]
    monthly = [(dt.date(2025, 1, 31), 0, 0), (dt.date(2025, 2, 28), 1234, 1234567)]
    context = {"children": children, "query": query, "monthly_rows": monthly}
    with translation.override(language):
        expected = Template(_CHILD_ROWS_AS_TEMPLATE).render(Context(context))
        got = Template(_CHILD_ROWS_AS_TAGS).render(Context(context))
    assert got == expected
    assert "Bulu &amp; &lt;Tawangsari&gt;" in got and ("tertinggal" in got or "behind" in got)


# dashboard/_segment_table.html's loop before segment_rows took it over, kept as the reference.
_SEGMENT_ROWS_AS_TEMPLATE = """{% load i18n l10n ikd %}{% for s in segments %}
      <tr{% if current and s.code == current %} class="current"{% endif %}>
        <th scope="row" data-sort="{{ s.name }}">{% if links %}<a href="?segmen={{ s.code }}{% if date %}&amp;tanggal={{ date }}{% endif %}&amp;urut={{ order }}">{{ s.name }}</a>{% else %}{{ s.name }}{% endif %}</th>
        <td class="num wide" data-sort="{{ s.holders|unlocalize }}">{{ s.holders|angka }}</td>
        <td class="num" data-sort="{{ s.activated|unlocalize }}">{{ s.activated|angka }}</td>
        <td class="num" data-sort="{{ s.percent|unlocalize }}"><span class="pct">{{ s.percent|persen }}</span></td>
        <td class="num wide" data-sort="{{ s.target_percent|unlocalize }}">{{ s.target_percent|persen:0 }}</td>
        <td class="num" data-sort="{{ s.gap_people|unlocalize }}">{{ s.gap_people|angka }}</td>
        {% if paces %}<td class="num wide" data-sort="{{ s.pace_30d_per_day|unlocalize }}">{{ s.pace_30d_per_day|laju }}</td>
        <td class="num wide" data-sort="{{ s.needed_per_day|unlocalize }}">{{ s.needed_per_day|laju }}</td>{% endif %}
      </tr>
    {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "page",
    [
        # the dashboard's table, with and without a date and a current segment
        {"links": True, "paces": True, "current": "asn", "date": "2025-04-09", "order": "persen"},
        {"links": True, "paces": True, "current": None, "date": "", "order": "kekurangan"},
        {"links": True, "paces": True, "date": "2025-04-09&x=<b>"},  # no order: empty
        {},  # the monthly report's: no links, no paces, nothing else set
    ],
)
def test_the_segment_rows_built_in_python_are_the_templates_byte_for_byte(language, page):
    from django.template import Context, Template
    from django.utils import translation

    segments = [
        {"code": "umum", "name": "Masyarakat umum", "holders": 45678, "activated": 1234,
         "percent": 4.94, "target_percent": Decimal("30.00"), "gap_people": 12469,
         "pace_30d_per_day": 8.5, "needed_per_day": 41.25},
        {"code": "asn", "name": "ASN & <PPPK>", "holders": 3, "activated": "<5", "percent": None,
         "target_percent": Decimal("27.50"), "gap_people": None, "pace_30d_per_day": None,
         "needed_per_day": 0.034},
        {"code": "tni", "name": "TNI", "holders": 0, "activated": 0, "percent": 0.0,
         "target_percent": None, "gap_people": 0, "pace_30d_per_day": 1234567.5,
         "needed_per_day": None},
    ]  # fmt: skip
    context = {"segments": segments, **page}
    with translation.override(language):
        expected = Template(_SEGMENT_ROWS_AS_TEMPLATE).render(Context(context))
        got = Template("{% load ikd %}{% segment_rows segments %}").render(Context(context))
    assert got == expected
    assert "ASN &amp; &lt;PPPK&gt;" in got
    assert ('class="current"' in got) == (page.get("current") == "asn")
