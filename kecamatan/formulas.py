"""Every figure's formula, written once in SQL and once in Python, side by side.

The recompute and the live pages run the SQL fragments (progress/compute.py); code that works on
rows already read (combined small segments, institutions, yields, the report) calls the Python
twins. tests/progress/test_formulas.py runs both on awkward values and checks they agree.

Rounding happens once (docs/design.md, "Figures as leaders read them"): a ratio is kept to
EXACT_PLACES decimals and rounded only where it is shown — half up, from that value. Twelve
decimals are as good as the exact fraction for every rounding a reader sees: a percentage
100·a/h that is not exactly on a boundary at two decimals lies at least 1/(200·h) from it, more
than the 5·10⁻¹³ a twelfth decimal can move it while h < 10¹⁰ (Indonesia has 2,8·10⁸ people).
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

EXACT_PLACES = 12
EXACT = Decimal(1).scaleb(-EXACT_PLACES)
# Twenty decimals on the literal make PostgreSQL divide to at least twenty decimals before
# ROUND(…, 12); SQLite reads it as the double 1.0 or 100.0.
_ONE = "1." + "0" * 20
_HUNDRED = "100." + "0" * 20
BASIS_POINTS = 10_000  # a target percentage in hundredths of a point: 27,5% = 2750


def exact(numerator, denominator) -> Decimal:
    """numerator / denominator to EXACT_PLACES decimals, half up."""
    with localcontext() as context:
        context.prec = 60
        return (Decimal(numerator) / Decimal(denominator)).quantize(EXACT, ROUND_HALF_UP)


# --- Percentage of a denominator -------------------------------------------------------------


def percent(part: int, whole: int | None) -> Decimal | None:
    """100 · part / whole; None without a denominator."""
    return exact(100 * part, whole) if whole else None


def percent_sql(part: str, whole: str) -> str:
    return f"CASE WHEN {whole} > 0 THEN ROUND({_HUNDRED} * {part} / {whole}, {EXACT_PLACES}) END"


# --- Target and gap in people ----------------------------------------------------------------


def basis_points(target_percent) -> int:
    """27.5 → 2750: the target in integer hundredths, so the people are computed in integers."""
    return int(Decimal(str(target_percent)) * 100)


def target_people(holders: int, bp: int | None) -> int | None:
    """⌈holders × target / 100⌉: the target in people is rounded up (30% of 7 is 3, not 2,1)."""
    if bp is None:
        return None
    return -(-holders * bp // BASIS_POINTS)


def target_people_sql(holders: str, bp: str) -> str:
    return f"({holders} * {bp} + {BASIS_POINTS - 1}) / {BASIS_POINTS}"


def gap_people(target: int | None, activated: int) -> int | None:
    """People still to activate to reach the target; 0 once it is reached."""
    if target is None:
        return None
    return max(target - activated, 0)


def gap_people_sql(target: str, activated: str) -> str:
    return (
        f"CASE WHEN {target} IS NULL THEN NULL WHEN {target} > {activated} "
        f"THEN {target} - {activated} ELSE 0 END"
    )


# --- Paces: people per day, working day or month ---------------------------------------------


def per_day(people: int, days: int) -> Decimal | None:
    """people / days (a pace over a window, or the pace a gap needs); None for no days left."""
    return exact(people, days) if days > 0 else None


def per_day_sql(people: str, days: str) -> str:
    return f"CASE WHEN {days} > 0 THEN ROUND({_ONE} * {people} / {days}, {EXACT_PLACES}) END"


def per_month(people: int, days: int, days_per_month: Decimal) -> Decimal | None:
    """people needed per (average) month over `days` calendar days."""
    return exact(Decimal(people) * days_per_month, days) if days > 0 else None


def per_month_sql(people: str, days: str, days_per_month: str) -> str:
    return (
        f"CASE WHEN {days} > 0 "
        f"THEN ROUND({_ONE} * {people} * {days_per_month} / {days}, {EXACT_PLACES}) END"
    )


# --- The straight line from the target's start to its deadline -------------------------------


def milestone_people(start: int | None, target: int | None, elapsed: int, span: int) -> int | None:
    """Where the straight line says we should be after `elapsed` of `span` days, in whole people
    (rounded down); flat at the target once it is reached or the start was already above it."""
    if target is None or start is None:
        return None
    if elapsed >= span or target <= start:
        return target
    return start + (target - start) * elapsed // span


def milestone_people_sql(start: str, target: str, elapsed: str, span: str) -> str:
    return (
        f"CASE WHEN {target} IS NULL OR {start} IS NULL THEN NULL "
        f"WHEN {elapsed} >= {span} OR {target} <= {start} THEN {target} "
        f"ELSE {start} + (({target} - {start}) * {elapsed}) / {span} END"
    )


def days_to_gap(gap: int, window_people: int, window_days: int) -> int | None:
    """Whole days to close `gap` at the pace of the window (rounded up); None at no pace."""
    if window_people <= 0:
        return None
    return -(-gap * window_days // window_people)


def days_to_gap_sql(gap: str, window_people: str, window_days: str) -> str:
    """Only where `window_people` > 0 (the caller's CASE says so)."""
    return f"({gap} * {window_days} + {window_people} - 1) / {window_people}"
