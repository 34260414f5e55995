"""NIK handling: the keyed hash we store instead of the NIK, and the mask we show in messages.

A NIK is personal data (UU PDP No. 27/2022): it is never stored, logged or displayed raw.
"""

import hashlib
import hmac

from django.conf import settings


def nik_hash(nik: str) -> str:
    """HMAC-SHA256 of the NIK with NIK_HASH_KEY, as 64 hex characters."""
    # hmac.digest is the one-shot C path: it matters at a million rows per import.
    return hmac.digest(settings.NIK_HASH_KEY.encode(), nik.encode(), hashlib.sha256).hex()


def nik_mask(nik: str) -> str:
    """`3311**********01`: enough for an admin to find the row in their file, not the person."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]
