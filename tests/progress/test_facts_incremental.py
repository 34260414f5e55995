"""The daily facts an import keeps up to date from what it changed equal a full rebuild from the
activations — after new people, earlier and later dates for known people, recaps under and
over the names, and a re-upload — on whichever database the suite runs (PostgreSQL or SQLite)."""

import datetime as dt

from django.db import transaction

from kecamatan.models import Activation, ActivationDaily
from kecamatan.nik import nik_hash
from kecamatan.progress.facts import facts_refresh
from kecamatan.uploads.load import import_file

HEADER = "nik,tanggal_aktivasi,kode_wilayah,segmen,lokasi\n"
RECAP_HEADER = "tanggal,kode_wilayah,segmen,jumlah\n"
# People of the hand-made kabupaten (tests/conftest.py): serial 81 is umum in Alasombo since
# 1 June 2024, 131 umum there since 20 March 2025, 181 asn in Puron since 1 March 2023.
KNOWN_81, KNOWN_131, KNOWN_181 = "3311010101900081", "3311010101900131", "3311020101900181"


def facts() -> list[tuple]:
    return sorted(ActivationDaily.objects.values_list("region_id", "segment_id", "day", "people"))


def rebuilt() -> list[tuple]:
    """What facts_refresh makes of the activations and recaps as they are (then undone)."""
    with transaction.atomic():
        facts_refresh(scope=None)
        result = facts()
        transaction.set_rollback(True)
    return result


def imported(tmp_path, kind: str, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    report = import_file(kind=kind, path=path)
    assert report.ok, (report.message, report.errors)


def test_the_facts_an_import_keeps_equal_a_full_rebuild(small_kabupaten, tmp_path):
    facts_refresh(scope=None)  # the fixture loads activations without facts
    steps = [
        (
            "aktivasi",
            "new people, one on a kecamatan itself, one twice in the file",
            HEADER
            + "3311014101900901,2025-04-08,33.11.01.2001,umum,desa\n"
            + "3311014101900902,2025-04-08,33.11.01.2002,umum,desa\n"
            + "3311014101900903,2025-04-08,33.11.01,umum,kecamatan\n"
            + "3311024101900904,2025-04-07,33.11.02.2001,asn,instansi\n"
            + "3311024101900904,2025-04-05,33.11.02.2001,asn,instansi\n",
        ),
        (
            "rekap",
            "a recap above the names of Weru on 8 April, one below those of Bulu on 5 April",
            RECAP_HEADER + "2025-04-08,33.11.01,umum,10\n2025-04-05,33.11.02,asn,0\n",
        ),
        (
            "aktivasi",
            "earlier dates for known people (into a recap's day, across desa and segments), a "
            "later one ignored, and new people under the recap",
            HEADER
            + f"{KNOWN_81},2024-05-01,33.11.01.2002,umum,desa\n"
            + f"{KNOWN_131},2025-04-08,33.11.01.2001,umum,desa\n"  # later: ignored
            + f"{KNOWN_181},2023-02-01,33.11.01.2001,pelajar,sekolah\n"
            + "3311014101900905,2025-04-08,33.11.01.2001,umum,pasar\n"
            + "3311014101900906,2025-04-08,33.11.01,umum,kecamatan\n",
        ),
        (
            "aktivasi",
            "a person moved out of the recap's day to an earlier one",
            HEADER + "3311014101900905,2025-04-01,33.11.01.2002,umum,pasar\n",
        ),
        (
            "rekap",
            "the recap replaced by a larger total",
            RECAP_HEADER + "2025-04-08,33.11.01,umum,25\n",
        ),
    ]
    for kind, what, content in steps:
        imported(tmp_path, kind, "step.csv", content)
        assert facts() == rebuilt(), what
    before = facts()
    imported(tmp_path, "aktivasi", "again.csv", steps[2][2].replace("\n", "\r\n"))
    assert facts() == before == rebuilt(), "a re-upload changes nothing"
    # The moves really happened: the test is not comparing two empty tables.
    moved = Activation.objects.get(nik_hash=nik_hash(KNOWN_181))
    assert (moved.region_id, moved.segment_id, moved.activated_on) == (
        "33.11.01.2001",
        "pelajar",
        dt.date(2023, 2, 1),
    )
    # Weru on 8 April: 2 people named on the kecamatan itself, and the recap's 25 above the 4
    # named under it.
    assert ("33.11.01", "umum", dt.date(2025, 4, 8), 2 + 25 - 4) in before
