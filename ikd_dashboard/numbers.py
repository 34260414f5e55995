"""Numbers as JSON, charts and files want them: a Decimal from the database (or None) as a float,
and a kept ratio rounded once, half up, for the API and the downloads (kecamatan/formulas.py)."""

from decimal import ROUND_HALF_UP, Decimal

FILE_PLACES = 2  # the API's and the downloads' decimals (docs/api.md)


def float_or_none(value) -> float | None:
    return None if value is None else float(value)


def rounded(value, places: int = FILE_PLACES) -> Decimal | None:
    """A kept value rounded once to `places`, half up: 4,245 → 4,25; 0,125 → 0,13."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def rounded_float(value, places: int = FILE_PLACES) -> float | None:
    """The same as a JSON number."""
    value = rounded(value, places)
    return None if value is None else float(value)
