"""What the open page's tests share: the small kabupaten's April 2025 report issued, a small
segment, a request as the open page's form sends it, and a day to stand on.

The small kabupaten (tests/conftest.py) on 10 April 2025: 285 of 2.300 holders activated
(12,4%), target 30% = 690 people, 405 short; Weru 180 / 1.800 (10,0%), Bulu 105 / 500 (21,0%).
"""

import datetime as dt

import time_machine

from kecamatan.models import Activation, KtpHolderCount
from kecamatan.nik import nik_hash
from kecamatan.progress.runs import progress_recompute
from reports.issue import report_issue

APRIL = dt.date(2025, 4, 1)
DATA_DATE = dt.date(2025, 4, 10)
# A Monday in May 2025, a month after the data: the schedule looks two weeks ahead of it.
MONDAY = dt.date(2025, 5, 12)


def april_issued():
    progress_recompute(as_of=DATA_DATE)
    report, _issued = report_issue(month=APRIL, deliver=False)
    return report


def activations_add(region: str, day: dt.date, people: int, *, first_serial: int = 500) -> None:
    """Late activations: the live figures move, an issued report does not."""
    Activation.objects.bulk_create(
        Activation(
            nik_hash=nik_hash(f"{region[:8].replace('.', '')}0101900{first_serial + i:03d}"),
            activated_on=day,
            region_id=region,
            segment_id="umum",
        )
        for i in range(people)
    )


def tiny_tni_segment() -> None:
    """Puron (desa in Bulu) gets 3 TNI holders, 2 of them activated: a small count at every
    level (desa, Bulu, the kabupaten), shown to Staf only combined with another segment."""
    KtpHolderCount.objects.create(
        region_id="33.11.02.2001", segment_id="tni", valid_from=dt.date(2023, 1, 1), holders=3
    )
    for serial in (1, 2):
        Activation.objects.create(
            nik_hash=nik_hash(f"3311020101770{serial:03d}"),
            activated_on=dt.date(2024, 5, 1),
            region_id="33.11.02.2001",
            segment_id="tni",
        )


def on_day(day: dt.date):
    """Stand on `day` at 09:00 WIB."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC))


def request_form(**changes) -> dict:
    """A school in Alasombo (Weru) asks for a visit in the week of 19 May 2025."""
    return {
        "group_name": "SMA N 1 Weru",
        "kind": "sekolah",
        "location": "Aula SMA N 1 Weru",
        "region": "33.11.01.2001",
        "expected": "45",
        "preferred_from": "19/05/2025",
        "preferred_to": "23/05/2025",
        "requester": "Sri Wahyuni",
        "contact": "0812 3456 7890",
        "note": "Siswa kelas XII, aula lantai 2.",
        "situs": "",
        **changes,
    }
