"""NIK handling: the keyed hash we store instead of the NIK, the mask we show in messages (and
apply to any text that may hold one), and the rules a well-formed NIK follows.

A NIK is personal data (UU PDP No. 27/2022): it is never stored, logged or displayed raw.
"""

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# An Excel number cell of 15 or more digits has lost its last digits: flag it, never trust it.
EXCEL_NUMBER_PREFIX = "#ANGKA:"


def nik_hash(nik: str) -> str:
    """HMAC-SHA256 of the NIK with NIK_HASH_KEY, as 64 hex characters (an import hashes its
    rows with nik_hasher, the same function made for many NIKs)."""
    return hmac.digest(settings.NIK_HASH_KEY.encode(), nik.encode(), hashlib.sha256).hex()


# HMAC's pads (RFC 2104), as byte translations.
_INNER_PAD = bytes(b ^ 0x36 for b in range(256))
_OUTER_PAD = bytes(b ^ 0x5C for b in range(256))


def nik_hmac_states():
    """The HMAC-SHA256 key's inner and outer SHA-256 states (RFC 2104), as `copy` functions:
    hmac.digest sets the key up again for every NIK, which took twice as long as hashing the
    NIK itself. A million-NIK loop hashes inline with them (uploads/load.py)."""
    key = settings.NIK_HASH_KEY.encode()
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return (
        hashlib.sha256(key.translate(_INNER_PAD)).copy,
        hashlib.sha256(key.translate(_OUTER_PAD)).copy,
    )


def nik_hasher() -> Callable[[str], str]:
    """nik_hash for many NIKs: the same HMAC-SHA256, with the key's states computed once."""
    inner_copy, outer_copy = nik_hmac_states()

    def hashed(nik: str) -> str:
        first = inner_copy()
        first.update(nik.encode())
        second = outer_copy()
        second.update(first.digest())
        return second.hexdigest()

    return hashed


def nik_as_written(cell: str) -> str:
    """The NIK in a file's cell: spaces taken out (typed in groups) and the apostrophe Excel
    users type to keep it as text. Most cells have neither, and are returned as they are."""
    if " " in cell or cell.startswith("'"):
        return cell.replace(" ", "").lstrip("'")
    return cell


def nik_mask(nik: str) -> str:
    """`3311**********01`: enough for an admin to find the row in their file, not the person."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


# Sixteen digits, or what is left of them: a run of 11 or more digits (possibly in groups split
# by spaces, as typed by hand), or the scientific notation Excel turns a NIK into
# ("3.31101410190010E+15"). Ten digits are a desa code without dots (3311041001) and stay
# readable, and so do the decimals of a number ("0.0010233332217 s": after a digit and a dot);
# after any other dot it is a NIK ("NIK.3311…", a file named "daftar.3311….csv").
NIK_LIKE = re.compile(r"(?<!\d)(?<!\d\.)(?:\d\.\d{9,}[eE]\+?\d+|'?\d(?: ?\d){10,})")
# A whole NIK however it is grouped: sixteen digits or more with at most one space, dot or dash
# between any two ("3311-0116-1071-5304", "33.11.01.150989.8402"), after letters, a dot or "No.";
# with slashes or underscores, sixteen digits that make a well-formed NIK (_SEPARATED).
NIK_GROUPED = re.compile(r"(?<!\d)(?<!\d\.)\d(?:[ .\-]?\d){15,}")
# …but a decimal number is not one ("0.0368305889999192" s in a worker's log line).
_DECIMAL = re.compile(r"\d{1,3}\.\d+")
# Digits in groups split by a slash or an underscore too ("3311/0115/0989/8402"): a NIK when they
# make a well-formed one, since letter numbers are written that way ("470/123/401.302/2025").
_SEPARATED = re.compile(r"(?<!\d)\d+(?:[ ./_\-]\d+){1,15}(?!\d)")


def _is_separated_nik(match: re.Match) -> bool:
    digits = re.sub(r"\D", "", match.group())
    return len(digits) == 16 and nik_problem(digits) is None


# What a whole NIK written in free text looks like, and which matches of it are one: the test
# for refusing (nik_in_text) and the first passes of the mask (nik_mask_text).
_WHOLE_NIKS = (
    (_SEPARATED, _is_separated_nik),
    (NIK_GROUPED, lambda match: not _DECIMAL.fullmatch(match.group())),
)


def nik_in_text(text: str) -> bool:
    """True when free text someone typed or a file gave holds a whole NIK, however written.
    Forms and the API refuse such a value (NoNikInTextMixin, outreach's visit_problems); a
    name from a file is refused with its row."""
    if not text or not isinstance(text, str):
        return False
    return any(is_nik(m) for pattern, is_nik in _WHOLE_NIKS for m in pattern.finditer(text))


def _masked_digits(match: re.Match) -> str:
    return nik_mask(re.sub(r"\D", "", match.group()))


def nik_mask_text(text: str, *, limit: int | None = None) -> str:
    """`text` with every run of digits that may be a NIK masked as nik_mask does.

    The one door between a file's values and what people, logs and the database see: messages,
    error rows, log lines (every field), exceptions and debug pages all pass through it.
    With `limit`, the masked text is cut to that many characters (masked first: a NIK cut short
    could slip under the mask's length).
    """
    if not text or not isinstance(text, str):
        return text
    masked = text
    for pattern, is_nik in _WHOLE_NIKS:
        masked = pattern.sub(
            lambda m, is_nik=is_nik: _masked_digits(m) if is_nik(m) else m.group(), masked
        )
    masked = NIK_LIKE.sub(_masked_digits, masked)
    return masked if limit is None or len(masked) <= limit else masked[: limit - 1] + "…"


NIK_IN_TEXT_MESSAGE = gettext_lazy(
    "Jangan menulis NIK di sini: NIK adalah data pribadi (UU PDP). Tulis nama tempat, "
    "jumlah atau keterangan lain tanpa NIK."
)


NIK_DIGITS = re.compile(r"[0-9]{16}")  # ASCII: "３３…" would hash as another person
# Kemendagri province codes: the first two digits of every NIK.
# What Excel writes in a CSV for a 16-digit number in a cell formatted as a number: 3.31109E+15.
SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
# fmt: off
PROVINCES = {
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64,
    65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
}
# fmt: on


# The region, birth-date and serial parts of a well-formed NIK, as the strings they are: a
# million rows are checked by set lookups instead of int() and date() calls each.
_PROVINCE_PARTS = frozenset(f"{p:02d}" for p in PROVINCES)
_BIRTH_DAY_MONTHS = frozenset(  # DDMM, women's days + 40; 2000 is a leap year, so 29/02 passes
    f"{day.day + women:02d}{day.month:02d}"
    for day in (dt.date(2000, 1, 1) + dt.timedelta(days=n) for n in range(366))
    for women in (0, 40)
)


def nik_problem(nik: str) -> str | None:
    """Why a NIK is not well-formed, or None. Checks the region part and the birth date."""
    if not NIK_DIGITS.fullmatch(nik):
        if nik.startswith(EXCEL_NUMBER_PREFIX) or SCIENTIFIC.fullmatch(nik):
            return _(
                "NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format "
                "kolom NIK sebagai Teks lalu ekspor ulang."
            )
        return _("NIK harus 16 digit angka (ada %(n)s karakter).") % {"n": len(nik)}
    if nik[:2] not in _PROVINCE_PARTS or nik[2:4] == "00" or nik[4:6] == "00":
        return _("6 digit pertama NIK bukan kode wilayah yang valid.")
    if nik[6:10] not in _BIRTH_DAY_MONTHS:
        return _("Digit 7–12 NIK bukan tanggal lahir yang valid (DDMMYY, perempuan +40).")
    if nik[12:] == "0000":
        return _("4 digit terakhir NIK (nomor urut) tidak boleh 0000.")
    return None


class NoNikInTextMixin:
    """For every form people type into: a text field holding a NIK is refused with
    NIK_IN_TEXT_MESSAGE (passwords excepted: they are never shown or stored as typed)."""

    def clean(self):
        data = super().clean()
        for name, value in list((data or {}).items()):
            field = self.fields.get(name)
            if (
                isinstance(value, str)
                and isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and name not in self.errors
                and nik_in_text(value)
            ):
                self.add_error(name, NIK_IN_TEXT_MESSAGE)
        return data
