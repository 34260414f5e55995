"""Target versions: created, changed or removed by admins, each change logged with who and when."""

from django.db import transaction

from .models import Target, TargetChange


def target_save(*, target: Target, user) -> Target:
    """Create or update a version (already validated by its form) and log the change."""
    before = ""
    if target.pk:
        before = Target.objects.get(pk=target.pk).describe()
    with transaction.atomic():
        target.full_clean()
        target.save()
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
        TargetChange.objects.create(
            target=None,
            action=TargetChange.Action.DELETE,
            changed_by=user,
            before=target.describe(),
        )
        target.delete()
