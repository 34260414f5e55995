"""A hand-made province table: Sukoharjo (33.11) and four of Jawa Tengah's kabupaten on three
dates. Every figure the tests expect is worked out from these by hand."""

import datetime as dt

from kecamatan.models import PeerFigure

FEB, MID, END = dt.date(2025, 2, 28), dt.date(2025, 3, 15), dt.date(2025, 3, 31)
ROWS = [
    # date, code, activated, denominator
    (FEB, "33.01", 5_200, 100_000),
    (MID, "33.11", 4_500, 100_000),
    (MID, "33.01", 5_500, 100_000),  # Cilacap: 20 a day before, then 31,25 a day
    (MID, "33.02", 9_000, 100_000),
    (MID, "33.03", 4_000, 50_000),
    (END, "33.11", 4_800, 100_000),  # us: 4,8%
    (END, "33.01", 6_000, 100_000),  # 6%
    (END, "33.02", 10_000, 100_000),  # Banyumas: 10%, 62,5 a day
    (END, "33.03", 4_200, 50_000),  # Purbalingga: 8,4%, 12,5 a day
    (END, "33.04", 2_500, 50_000),  # Banjarnegara: 5%, first table: no pace
]


def peers_create(rows=ROWS, scope=PeerFigure.Scope.PROVINCE) -> None:
    PeerFigure.objects.bulk_create(
        PeerFigure(scope=scope, as_of=day, code=code, activated=a, denominator=d, source="tes")
        for day, code, a, d in rows
    )
