"""Institutions and rosters for the tests, on the hand-made kabupaten (tests/conftest.py), whose
activated NIKs are `SSSSSS0101900NNN`: the kecamatan's six digits and a serial (see
small_kabupaten_create). Serials 1–80 activated in Alasombo (Weru) on 1 February 2023, 131–160
on 20 March 2025, 161–180 in Tegalsari on 1 April 2025."""

import datetime as dt

from kecamatan.models import Institution, InstitutionTarget, RosterMember
from kecamatan.nik import nik_hash

WERU_NIK = "3311010101900{:03d}"  # an activated one for serials 1–180
NOT_ACTIVATED = "3311014505950{:03d}"  # a woman born 5 May 1995 in Weru: no activation
SURAKARTA = "3372010202880{:03d}"  # issued in Kota Surakarta: outside the kabupaten


def institution_with_target(code: str, region: str, *, members: list[str] = ()) -> dict:
    """An OPD in `region` with these members and a target of its own; the ids the URL tables
    need."""
    institution = Institution.objects.create(
        code=code, name=f"Instansi {code}", kind="opd", region_id=region, segment_id="asn"
    )
    RosterMember.objects.bulk_create(
        RosterMember(
            institution=institution,
            nik_hash=nik_hash(nik),
            outside_kabupaten=not nik.startswith(region.replace(".", "")[:4]),
        )
        for nik in members
    )
    target = InstitutionTarget.objects.create(
        institution=institution,
        percent=100,
        valid_from=dt.date(2025, 1, 1),
        deadline=dt.date(2025, 12, 31),
    )
    return {"institution": institution.code, "institution_target": target.pk}
