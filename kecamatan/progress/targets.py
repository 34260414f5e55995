"""Target versions: which one is in force where and when, the straight line each one draws, and
their changes by admins (each logged with who and when, and in the audit trail).

In each scope (one region or all, one segment or all) the version in force on a date is the
latest one whose `valid_from` is on or before it; the nearest region scope wins, then a
segment's own target over the general one.
"""

import datetime as dt

from django.db import transaction

from ..accounts.audit import audit
from ..formulas import basis_points
from ..models import AuditEvent, Basis, Region, RegionClosure, Target, TargetChange

ALL_SEGMENTS = "*"  # stands for "all segments together" inside the SQL; NULL in the table
TARGET_FIELDS = [
    "percent",
    "valid_from",
    "deadline",
    "segment",
    "region",
    "note",
    "source_letter",
    "source_date",
    "denominator",
]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday–Friday days after `start` up to and including `end` (public holidays not known)."""
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(1, rest + 1) if (start + dt.timedelta(days=i)).weekday() < 5)
    return full_weeks * 5 + extra


def target_in_force(
    *, on: dt.date, segment_code: str | None = None, region: Region | None = None
) -> Target | None:
    """The target version in force on a date for a region and segment (None = all of them).

    In each scope the latest version valid on the date counts; the nearest region scope wins,
    then a segment's own target over the general one.
    """
    ancestors = (
        list(RegionClosure.objects.filter(descendant=region).values_list("ancestor_id", "distance"))
        if region
        else []
    )
    slots, _starts = target_slots(on)
    return target_best(slots=slots, distance=dict(ancestors), segment_code=segment_code)


def target_best(
    *, slots: list[dict], distance: dict[str, int], segment_code: str | None
) -> Target | None:
    """Among the versions in force (target_slots), the one for a region whose ancestors are
    `distance` (ancestor code → levels up) and a segment: the nearest region scope, then the
    segment's own target over the general one."""
    best = None
    for slot in slots:
        target = slot["target"]
        if target.region_id and target.region_id not in distance:
            continue
        if target.segment_id and target.segment_id != segment_code:
            continue
        rank = (distance.get(target.region_id, 999), 0 if target.segment_id else 1)
        if best is None or rank < best[0]:
            best = (rank, target)
    return best[1] if best else None


def targets_valid_on(as_of: dt.date) -> list[Target]:
    """Every target version that had started by `as_of`, oldest first."""
    return list(Target.objects.filter(valid_from__lte=as_of).order_by("valid_from", "pk"))


def target_slots(
    as_of: dt.date, targets: list[Target] | None = None
) -> tuple[list[dict], list[dt.date]]:
    """For each scope (region or all × segment or all), the version in force on `as_of`."""
    latest: dict[tuple, Target] = {}
    if targets is None:
        targets = targets_valid_on(as_of)
    for target in sorted(
        (t for t in targets if t.valid_from <= as_of), key=lambda t: (t.valid_from, t.pk)
    ):
        latest[(target.region_id, target.segment_id)] = target
    starts = sorted({t.valid_from for t in latest.values()})
    slots = []
    for target in latest.values():
        slots.append(
            {
                "target": target,
                "region": target.region_id or "",
                "segment": target.segment_id or ALL_SEGMENTS,
                "bp": basis_points(target.percent),
                "percent": target.percent,
                "valid_from": target.valid_from,
                "deadline": target.deadline,
                "days_left": (target.deadline - as_of).days,
                "workdays_left": working_days_between(as_of, target.deadline),
                # The straight line runs from the day before the target starts to its deadline.
                "elapsed": (as_of - target.valid_from).days + 1,
                "span": (target.deadline - target.valid_from).days + 1,
                "start_idx": starts.index(target.valid_from),
            }
        )
    return slots, starts


def denominator_of(slots: list[dict]) -> str:
    """The basis every figure on the slots' date is computed on: that of the general target in
    force (all regions, all segments), so that kecamatan still add up to the kabupaten and
    segments to the total; perekaman (KTP-el recorded) before any target."""
    for slot in slots:
        if not slot["region"] and slot["segment"] == ALL_SEGMENTS:
            return slot["target"].denominator
    return Basis.PEREKAMAN


def denominator_on(as_of: dt.date, targets: list[Target] | None = None) -> str:
    return denominator_of(target_slots(as_of, targets)[0])


def target_version_audited(action: str, *, target, user) -> None:
    """A target version saved (the kabupaten's, or an institution's), in the audit trail."""
    audit(
        action,
        user=user,
        target=target.describe(),
        percent=str(target.percent),
        valid_from=target.valid_from.isoformat(),
        deadline=target.deadline.isoformat(),
    )


def target_save(*, target: Target, user) -> Target:
    """Create or update a version (already validated by its form) and log the change."""
    before = ""
    if target.pk:
        before = Target.objects.get(pk=target.pk).describe()
    with transaction.atomic():
        target.full_clean()
        if before:
            target.save(update_fields=TARGET_FIELDS)
        else:
            target.save()
        target_version_audited(AuditEvent.Action.TARGET_SAVE, target=target, user=user)
        TargetChange.objects.create(
            target=target,
            action=TargetChange.Action.UPDATE if before else TargetChange.Action.CREATE,
            changed_by=user,
            before=before,
            after=target.describe(),
        )
    return target


def target_delete(*, target: Target, user) -> None:
    with transaction.atomic():
        audit(AuditEvent.Action.TARGET_DELETE, user=user, target=target.describe())
        TargetChange.objects.create(
            target=None,
            action=TargetChange.Action.DELETE,
            changed_by=user,
            before=target.describe(),
        )
        target.delete()
