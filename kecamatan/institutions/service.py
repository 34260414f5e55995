"""What an Admin changes about an institution (its name, kind, region, segment), in the audit
trail. Rosters are replaced by uploads (kecamatan/uploads/roster.py), never edited by hand."""

from django.db import transaction

from ..accounts.audit import audit
from ..models import AuditEvent, Institution

EDITABLE = ["name", "kind", "region", "segment"]


def institution_save(*, institution: Institution, user) -> Institution:
    """Save an institution's details (validated by its form)."""
    with transaction.atomic():
        institution.full_clean()
        institution.save(update_fields=EDITABLE)
        audit(
            AuditEvent.Action.INSTITUTION_SAVE,
            user=user,
            target=f"{institution.code} {institution.name}",
            kind=institution.kind,
            region=institution.region_id,
            segment=institution.segment_id,
        )
    return institution
