"""The 514 kabupaten/kota of Indonesia (Kemendagri codes, names, provinces), shipped as
fixtures/wilayah-kabkota.csv (source and licence: fixtures/NOTICE.md), and finding one of them
as a peers' table writes it: a code with or without its dot, or a name."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

KABKOTA_CSV = Path(__file__).resolve().parent.parent / "fixtures" / "wilayah-kabkota.csv"


@dataclass(frozen=True)
class KabKota:
    code: str  # "33.11"
    name: str  # "Kabupaten Sukoharjo"
    province_code: str  # "33"
    province: str  # "Jawa Tengah"


@cache
def kabkota_all() -> dict[str, KabKota]:
    with open(KABKOTA_CSV, encoding="utf-8", newline="") as f:
        return {
            row["kode"]: KabKota(
                row["kode"], row["nama"], row["kode_provinsi"], row["nama_provinsi"]
            )
            for row in csv.DictReader(f)
        }


def _plain(name: str) -> str:
    """Lower case, single spaces, "Kab."/"Kab" written out: how names are compared."""
    name = re.sub(r"[\s_]+", " ", name.strip().lower()).replace(".", ". ")
    name = re.sub(r"\s+", " ", name).strip()
    return re.sub(r"^kab\.? ", "kabupaten ", name)


@cache
def _by_name() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Full names ("kabupaten sukoharjo") and bare names ("sukoharjo": maybe a kabupaten and a
    kota) to codes."""
    full, bare = {}, {}
    for code, kabkota in kabkota_all().items():
        plain = _plain(kabkota.name)
        full[plain] = code
        bare.setdefault(plain.split(" ", 1)[1], []).append(code)
    return full, bare


def kabkota_find(written: str) -> tuple[str | None, str]:
    """(code, "") for a kabupaten/kota as a file writes it — "33.11", "3311", "Kabupaten
    Sukoharjo", "Kab. Sukoharjo" or "Sukoharjo" when only one bears that name — else (None, why)."""
    written = written.strip()
    if not written:
        return None, _("kode_wilayah kosong.")
    digits = re.sub(r"\D", "", written)
    if re.fullmatch(r"\d{2}\.?\d{2}", written):
        code = f"{digits[:2]}.{digits[2:]}"
        if code in kabkota_all():
            return code, ""
        return None, _("Kode %(code)s tidak ada di daftar 514 kabupaten/kota Kemendagri.") % {
            "code": code
        }
    if digits:
        return None, _(
            "Bukan kode kabupaten/kota (PP.KK, misalnya 33.11) atau nama kabupaten/kota."
        )
    full, bare = _by_name()
    plain = _plain(written)
    if plain in full:
        return full[plain], ""
    candidates = bare.get(plain, [])
    if len(candidates) == 1:
        return candidates[0], ""
    if candidates:
        return None, _("Nama %(name)s ada lebih dari satu: %(which)s. Tulis kodenya.") % {
            "name": written,
            "which": "; ".join(f"{kabkota_all()[c].name} ({c})" for c in candidates),
        }
    return None, _("Nama %(name)s tidak ada di daftar 514 kabupaten/kota Kemendagri.") % {
        "name": written
    }


def kabkota_of_province(province_code: str) -> list[KabKota]:
    return [k for k in kabkota_all().values() if k.province_code == province_code]
