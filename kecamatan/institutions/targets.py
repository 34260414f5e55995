"""Targets of institutions: the version in force for each one on a date — its own, else its
kind's (a regent's circular: 100% of ASN), else its segment's (kecamatan.progress.targets) —
and the versions an Admin adds or removes, each in the audit trail."""

import datetime as dt

from django.db import transaction

from ..accounts.audit import audit
from ..models import AuditEvent, InstitutionTarget, RegionClosure
from ..progress.targets import target_best, target_slots, target_version_audited, targets_valid_on

# Where a target comes from, as the pages name it.
OWN, KIND, SEGMENT = "instansi", "jenis", "segmen"


def institution_targets(*, as_of: dt.date, institutions: list[dict]) -> dict[int, dict]:
    """{institution id: {"percent", "deadline", "valid_from", "source"}} for the institutions
    given (dicts with id, kind, region, segment), in three queries whatever their number."""
    latest_own: dict[int, InstitutionTarget] = {}
    latest_kind: dict[str, InstitutionTarget] = {}
    for target in InstitutionTarget.objects.filter(valid_from__lte=as_of).order_by(
        "valid_from", "pk"
    ):
        if target.institution_id:
            latest_own[target.institution_id] = target
        else:
            latest_kind[target.kind] = target
    slots, _starts = target_slots(as_of, targets_valid_on(as_of))
    ancestors: dict[str, dict[str, int]] = {}
    for descendant, ancestor, distance in RegionClosure.objects.filter(
        descendant_id__in={i["region"] for i in institutions}
    ).values_list("descendant_id", "ancestor_id", "distance"):
        ancestors.setdefault(descendant, {})[ancestor] = distance
    result = {}
    for institution in institutions:
        own = latest_own.get(institution["id"])
        by_kind = latest_kind.get(institution["kind"])
        if own or by_kind:
            target, source = (own, OWN) if own else (by_kind, KIND)
        else:
            target = target_best(
                slots=slots,
                distance=ancestors.get(institution["region"], {}),
                segment_code=institution["segment"],
            )
            source = SEGMENT
        if target is not None:
            result[institution["id"]] = {
                "percent": target.percent,
                "deadline": target.deadline,
                "valid_from": target.valid_from,
                "source": source,
            }
    return result


def institution_target_save(*, target: InstitutionTarget, user) -> InstitutionTarget:
    """Add a version (validated by its form) and put it in the audit trail."""
    with transaction.atomic():
        target.created_by = user
        target.full_clean()
        target.save()
        target_version_audited(AuditEvent.Action.INSTITUTION_TARGET, target=target, user=user)
    return target


def institution_target_delete(*, target: InstitutionTarget, user) -> None:
    with transaction.atomic():
        audit(
            AuditEvent.Action.INSTITUTION_TARGET, user=user, target=target.describe(), removed=True
        )
        target.delete()
