"""Numbers as JSON and charts want them: a Decimal from the database (or None) as a float."""


def float_or_none(value) -> float | None:
    return None if value is None else float(value)
