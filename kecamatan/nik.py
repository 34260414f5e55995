"""NIK handling: the keyed hash we store instead of the NIK, and the mask we show in messages.

A NIK is personal data (UU PDP No. 27/2022): it is never stored, logged or displayed raw.
"""

import hashlib
import hmac
import re

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


# Sixteen digits, or what is left of them: a run of 11 or more digits (possibly in groups split
# by spaces, as typed by hand), or the scientific notation Excel turns a NIK into
# ("3.31101410190010E+15"). Ten digits are a desa code without dots (3311041001) and stay
# readable, and so do the decimals of a duration ("0.0010233332217 s").
NIK_LIKE = re.compile(r"(?<![\d.])(?:\d\.\d{9,}[eE]\+?\d+|'?\d(?: ?\d){10,})")


def nik_mask_text(text: str, *, limit: int | None = None) -> str:
    """`text` with every run of digits that may be a NIK masked as nik_mask does.

    The one door between a file's values and what people, logs and the database see: messages,
    error rows, log lines, exceptions and debug pages all pass through it.
    With `limit`, the masked text is cut to that many characters (masked first: a NIK cut short
    could slip under the mask's length).
    """
    if not text or not isinstance(text, str):
        return text
    masked = NIK_LIKE.sub(lambda m: nik_mask(re.sub(r"\D", "", m.group())), text)
    return masked if limit is None or len(masked) <= limit else masked[: limit - 1] + "…"
