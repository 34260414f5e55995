"""The monthly report as a letter the office signs: its letterhead (logo, name, address), the
number a revision is given when issued, and the signature block Indonesian offices use — place
and date, title, name, NIP — ready for the office's electronic signature. From settings."""

import base64
import datetime as dt
import mimetypes
from pathlib import Path

from django.conf import settings
from django.utils import timezone

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}


def report_number(*, month: dt.date, revision: int) -> str:
    """The number of an issued revision, from REPORT_NUMBER_PATTERN; a revision after the first
    says so ("…/2025-R2")."""
    number = settings.REPORT_NUMBER_PATTERN.format(
        year=month.year, month=f"{month.month:02d}", roman=ROMAN[month.month - 1], revision=revision
    )
    return (
        number
        if revision == 1 or "{revision}" in settings.REPORT_NUMBER_PATTERN
        else (f"{number}-R{revision}")
    )


def logo_data_uri() -> str | None:
    """The office's logo inline (the PDF fetches nothing); None when unset or unusable."""
    path = Path(settings.REPORT_LOGO_PATH) if settings.REPORT_LOGO_PATH else None
    if path is None or not path.is_file() or path.stat().st_size > LOGO_MAX_BYTES:
        return None
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in LOGO_TYPES:
        return None
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def letter_context(report) -> dict:
    """What the letterhead and the signature block show for a report (None: a draft)."""
    signed_on = timezone.localtime(report.issued_at).date() if report else None
    return {
        "logo": logo_data_uri(),
        "office": settings.OFFICE_NAME,
        "address": settings.OFFICE_ADDRESS,
        "number": (report.number or "") if report else "",
        "place": settings.REPORT_PLACE,
        "signed_on": signed_on,
        "signer_title": settings.REPORT_SIGNER_TITLE,
        "signer_name": settings.REPORT_SIGNER_NAME,
        "signer_nip": settings.REPORT_SIGNER_NIP,
    }
