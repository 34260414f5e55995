"""NIK handling: the keyed hash we store instead of the NIK, the mask we show in messages (and
apply to any text that may hold one), and the rules a well-formed NIK follows.

A NIK is personal data (UU PDP No. 27/2022): it is never stored, logged or displayed raw.
"""

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.utils.translation import gettext as _

# An Excel number cell of 15 or more digits has lost its last digits: flag it, never trust it.
EXCEL_NUMBER_PREFIX = "#ANGKA:"


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


NIK_DIGITS = re.compile(r"\d{16}")
# Kemendagri province codes: the first two digits of every NIK.
# What Excel writes in a CSV for a 16-digit number in a cell formatted as a number: 3.31109E+15.
SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
# fmt: off
PROVINCES = {
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64,
    65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
}
# fmt: on


def nik_problem(nik: str) -> str | None:
    """Why a NIK is not well-formed, or None. Checks the region part and the birth date."""
    if nik.startswith(EXCEL_NUMBER_PREFIX) or SCIENTIFIC.fullmatch(nik):
        return _(
            "NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format "
            "kolom NIK sebagai Teks lalu ekspor ulang."
        )
    if not NIK_DIGITS.fullmatch(nik):
        return _("NIK harus 16 digit angka (ada %(n)s karakter).") % {"n": len(nik)}
    if int(nik[:2]) not in PROVINCES or nik[2:4] == "00" or nik[4:6] == "00":
        return _("6 digit pertama NIK bukan kode wilayah yang valid.")
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40  # women: day of birth + 40
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February passes
    except ValueError:
        return _("Digit 7–12 NIK bukan tanggal lahir yang valid (DDMMYY, perempuan +40).")
    if nik[12:] == "0000":
        return _("4 digit terakhir NIK (nomor urut) tidak boleh 0000.")
    return None
