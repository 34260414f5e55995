"""The demo's institutions and rosters, consistent with the demo's activations.

Each roster is drawn from the people the demo activated (their synthetic NIKs, so the hashes
match the activation store) in the institution's segment, plus people who have not activated
(new synthetic NIKs) and a few NIKs issued outside the kabupaten (Surakarta, Karanganyar,
Wonogiri). Each institution gets the share activated the office would see — the Dinas
Kesehatan ahead, the Dinas Pendidikan behind — and the regent's circular asks every OPD for
100% by mid-2025. Seeded: the same rosters every time. Only hashes are stored.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from ..models import Activation, Institution, InstitutionTarget, RosterMember
from ..nik import nik_hash

SEED = 20250415
OUTSIDE = ("3372", "3313", "3312")  # Kota Surakarta, Karanganyar, Wonogiri
OUTSIDE_SHARE = 0.03
# When the offices handed in their lists: the morning after the demo's data end (WIB).
ROSTERS_AT = dt.datetime(2025, 4, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CAPITAL = "33.11.04"  # Kecamatan Sukoharjo: where the regency's offices are
KECAMATAN = {
    "33.11.01": "Weru",
    "33.11.02": "Bulu",
    "33.11.03": "Tawangsari",
    "33.11.04": "Sukoharjo",
    "33.11.05": "Nguter",
    "33.11.06": "Bendosari",
    "33.11.07": "Polokarto",
    "33.11.08": "Mojolaban",
    "33.11.09": "Grogol",
    "33.11.10": "Baki",
    "33.11.11": "Gatak",
    "33.11.12": "Kartasura",
}
# code, name, kind, region, members, share activated by the data's last day
INSTITUTIONS = [
    ("SETDA", "Sekretariat Daerah", "opd", CAPITAL, 210, 0.86),
    ("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan", "opd", CAPITAL, 640, 0.40),
    ("DINKES", "Dinas Kesehatan", "opd", CAPITAL, 380, 0.95),
    ("DISPENDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "opd", CAPITAL, 75, 1.0),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "opd", CAPITAL, 160, 0.62),
    ("DINSOS", "Dinas Sosial", "opd", CAPITAL, 70, 0.74),
    ("DISHUB", "Dinas Perhubungan", "opd", CAPITAL, 120, 0.55),
    ("DLH", "Dinas Lingkungan Hidup", "opd", CAPITAL, 140, 0.48),
    ("DISPERTAN", "Dinas Pertanian dan Perikanan", "opd", CAPITAL, 150, 0.58),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "opd", CAPITAL, 60, 0.93),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "opd", CAPITAL, 55, 0.89),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "opd", CAPITAL, 50, 0.9),
    ("BPKPAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "opd", CAPITAL, 95, 0.81),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "opd", CAPITAL, 130, 0.5),
    ("RSUD", "RSUD Ir. Soekarno", "opd", CAPITAL, 420, 0.69),
    *(
        (f"KEC-{name.upper()}", f"Kecamatan {name}", "opd", code, 28, 0.5 + 0.04 * i)
        for i, (code, name) in enumerate(KECAMATAN.items())
    ),
    ("20310201", "SMA Negeri 1 Sukoharjo", "sekolah", CAPITAL, 330, 0.42),
    ("20310202", "SMA Negeri 2 Sukoharjo", "sekolah", CAPITAL, 300, 0.3),
    ("20310203", "SMA Negeri 1 Kartasura", "sekolah", "33.11.12", 320, 0.36),
    ("20310204", "SMA Negeri 1 Grogol", "sekolah", "33.11.09", 280, 0.24),
    ("20310205", "SMA Negeri 1 Weru", "sekolah", "33.11.01", 210, 0.12),
    ("20310206", "SMA Negeri 1 Bulu", "sekolah", "33.11.02", 150, 0.16),
    ("20310207", "SMK Negeri 1 Sukoharjo", "sekolah", CAPITAL, 360, 0.2),
    ("20310208", "SMK Negeri 2 Sukoharjo", "sekolah", CAPITAL, 310, 0.15),
    ("20310209", "SMK Negeri 1 Bendosari", "sekolah", "33.11.06", 240, 0.22),
    ("20310210", "SMA Negeri 1 Polokarto", "sekolah", "33.11.07", 200, 0.27),
    ("BRI-SKH", "BRI Kantor Cabang Sukoharjo", "bumn", CAPITAL, 85, 0.58),
    ("PDAM-TM", "PDAM Tirta Makmur", "bumd", CAPITAL, 130, 0.46),
    ("DEWAS-PDAM", "Dewan Pengawas PDAM Tirta Makmur", "bumd", CAPITAL, 3, 0.67),
    ("KODIM-0726", "Kodim 0726/Sukoharjo", "tni", CAPITAL, 310, 0.8),
    ("POLRES-SKH", "Polres Sukoharjo", "polri", CAPITAL, 520, 0.84),
    ("DPRD-SKH", "DPRD Kabupaten Sukoharjo", "dprd", CAPITAL, 45, 0.91),
]
# Regent's circular: every ASN in every OPD activated by 30 June 2025.
CIRCULAR = {
    "kind": "opd",
    "percent": 100,
    "valid_from": dt.date(2025, 1, 2),
    "deadline": dt.date(2025, 6, 30),
    "source_letter": "SE Bupati Sukoharjo 470/015/2025",
    "source_date": dt.date(2025, 1, 2),
    "note": "Seluruh ASN wajib aktivasi IKD",
}


def institutions_demo(
    *, people: list[tuple[str, Activation]], fake_nik: Callable[[random.Random, str], str]
) -> tuple[list[Institution], list[RosterMember], list[InstitutionTarget]]:
    """The demo's institutions, their members and the circular's target (unsaved).

    `people` are the demo's (NIK, activation) pairs; `fake_nik(rng, desa_code)` makes a NIK
    nobody has used yet. Schools draw pupils from their kecamatan first, offices from anywhere.
    """
    rng = random.Random(SEED)
    pools: dict[tuple[str, str], list[str]] = defaultdict(list)  # (segment, kecamatan) → NIKs
    desa = sorted({a.region_id for _nik, a in people if a.region_id.count(".") == 3})
    for nik, activation in people:
        pools[(activation.segment_id, activation.region_id[:8])].append(nik)
    for pool in pools.values():
        rng.shuffle(pool)
    institutions, members = [], []
    for code, name, kind, region, size, share in INSTITUTIONS:
        segment = Institution.KIND_SEGMENTS[kind]
        institution = Institution(
            code=code,
            name=name,
            kind=kind,
            region_id=region,
            segment_id=segment,
            roster_updated_at=ROSTERS_AT,
        )
        institutions.append(institution)
        activated = _draw(
            pools, segment, region if kind == "sekolah" else None, round(size * share)
        )
        niks = [*activated]
        for _ in range(size - len(activated)):
            home = rng.choice([d for d in desa if d.startswith(region)] or desa)
            nik = fake_nik(rng, home)
            if rng.random() < OUTSIDE_SHARE * 2 and kind != "sekolah":
                nik = rng.choice(OUTSIDE) + nik[4:]  # came from a neighbouring kabupaten
            niks.append(nik)
        members += [
            RosterMember(
                institution=institution,
                nik_hash=nik_hash(nik),
                outside_kabupaten=not nik.startswith("3311"),
            )
            for nik in dict.fromkeys(niks)  # a NIK once per roster
        ]
    return institutions, members, [InstitutionTarget(**CIRCULAR)]


def _draw(pools, segment: str, kecamatan: str | None, wanted: int) -> list[str]:
    """Up to `wanted` activated people of a segment (from a kecamatan first), each drawn once."""
    keys = sorted(k for k in pools if k[0] == segment)
    if kecamatan:
        keys.sort(key=lambda k: k[1] != kecamatan)
    drawn = []
    for key in keys:
        while pools[key] and len(drawn) < wanted:
            drawn.append(pools[key].pop())
    return drawn
