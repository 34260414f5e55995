"""The data date, "data lengkap s.d.": the last day up to which every kecamatan below a region has
reported, so that one kecamatan's early file does not move "today" for all the others.

A kecamatan has reported up to the last date of each imported activation or recap file that has
rows in it. Data that came in without an upload (the demo, a restore) counts as reported by every
kecamatan up to its last day. The figures of every region are computed as of the kabupaten's date
(progress.selectors.progress_data_date), so kecamatan still add up to the kabupaten and rank on
the same day; what lies beyond is kept and counted once every kecamatan has caught up.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from ..models import Activation, ActivationRecap, Region, RegionClosure, Upload

COVERING_KINDS = (Upload.Kind.AKTIVASI, Upload.Kind.REKAP)


def _loose_data_through() -> dt.date | None:
    """The last day of data that came in without an upload."""
    days = [
        Activation.objects.filter(upload__isnull=True).aggregate(d=Max("activated_on"))["d"],
        ActivationRecap.objects.filter(upload__isnull=True).aggregate(d=Max("day"))["d"],
    ]
    return max((d for d in days if d), default=None)


def kecamatan_reported_through(
    *, extra: tuple[dt.date, list[str]] | None = None
) -> dict[str, dt.date]:
    """Kecamatan code → the last day it has reported. `extra` is a file not yet imported (its
    last date and the regions it has rows in), to see what importing it would do."""
    files = list(
        Upload.objects.filter(
            status=Upload.Status.IMPORTED, kind__in=COVERING_KINDS, data_through__isnull=False
        ).values_list("data_through", "touched_regions")
    )
    if extra and extra[0]:
        files.append(extra)
    kecamatan_of = dict(
        RegionClosure.objects.filter(
            descendant_id__in={code for _day, codes in files for code in codes},
            ancestor__depth=Region.DEPTHS["kecamatan"],
        ).values_list("descendant_id", "ancestor_id")
    )
    reported: dict[str, dt.date] = {}
    loose = _loose_data_through()
    if loose:
        kecamatan = Region.objects.filter(depth=Region.DEPTHS["kecamatan"])
        reported = dict.fromkeys(kecamatan.values_list("code", flat=True), loose)
    for day, codes in files:
        for code in {kecamatan_of[c] for c in codes if c in kecamatan_of}:
            reported[code] = max(reported.get(code, day), day)
    return reported


def _in_scope(reported: dict[str, dt.date], scope: Region | None) -> dict[str, dt.date]:
    if scope is None:
        return reported
    related = set(
        RegionClosure.objects.filter(ancestor_id=scope.code).values_list("descendant_id", flat=True)
    ) | set(
        RegionClosure.objects.filter(descendant_id=scope.code).values_list("ancestor_id", flat=True)
    )
    return {code: day for code, day in reported.items() if code in related}


def data_complete_date(
    *, scope: Region | None = None, extra: tuple[dt.date, list[str]] | None = None
) -> dt.date | None:
    """The last day every kecamatan in `scope` (None: all) has reported; None without data."""
    reported = _in_scope(kecamatan_reported_through(extra=extra), scope)
    return min(reported.values(), default=None)


@dataclass
class DataAhead:
    """A kecamatan whose data already runs past the date the figures are computed for."""

    code: str
    name: str
    through: dt.date


def data_ahead_of(*, as_of: dt.date, scope: Region | None = None) -> list[DataAhead]:
    """The kecamatan in `scope` that have reported beyond `as_of`, latest first (kept on each
    recompute run, so pages read them without a query: data_ahead_in)."""
    reported = _in_scope(kecamatan_reported_through(), scope)
    ahead = {code: day for code, day in reported.items() if day > as_of}
    names = dict(Region.objects.filter(code__in=ahead).values_list("code", "name"))
    return sorted(
        (DataAhead(code=c, name=names.get(c, c), through=d) for c, d in ahead.items()),
        key=lambda a: (-a.through.toordinal(), a.name),
    )


@dataclass
class DataDateMove:
    """What importing a file would do to the data date (the upload preview says it)."""

    before: dt.date | None
    after: dt.date | None
    file_through: dt.date | None
    ahead: list[str]  # kecamatan of the file that would run past the new date

    @property
    def days(self) -> int:
        if self.before is None or self.after is None:
            return 0
        return (self.after - self.before).days


def data_date_move(*, through: dt.date | None, regions: list[str]) -> DataDateMove:
    """The data date now, and after importing a file whose rows run to `through` in `regions`."""
    before = data_complete_date()
    after = data_complete_date(extra=(through, regions)) if through else before
    ahead = []
    if through and after and through > after:
        kecamatan = RegionClosure.objects.filter(
            descendant_id__in=regions, ancestor__depth=Region.DEPTHS["kecamatan"]
        ).values_list("ancestor__name", flat=True)
        ahead = sorted(set(kecamatan))
    return DataDateMove(before=before, after=after, file_through=through, ahead=ahead)


def data_ahead_in(ahead: list[dict], *, region: Region) -> list[DataAhead]:
    """The entries of a run's `ahead` list that lie in or above `region` (Kemendagri codes nest:
    a kecamatan's code starts with its kabupaten's)."""
    return [
        DataAhead(code=a["code"], name=a["name"], through=dt.date.fromisoformat(a["through"]))
        for a in ahead
        if a["code"] == region.code
        or a["code"].startswith(region.code + ".")
        or region.code.startswith(a["code"] + ".")
    ]
