"""The denominator is data: counts are kept per basis (pemilik KTP-el = perekaman, wajib KTP,
penduduk), the target in force picks the basis, and every figure on that date is computed on it
and names it. A hand-made tree, figures worked out by hand.

Alasombo: 1.000 KTP-el holders and 1.200 wajib KTP; Tegalsari: 500 KTP-el holders, no wajib KTP
count. 100 activations in Alasombo before 1 July 2024, 50 more on 9 April 2025; 20 in
Tegalsari in 2024. The 25% of 2024 is on perekaman; the 30% of 2025 on wajib KTP.
"""

import datetime as dt
from decimal import Decimal

import pytest

from ikd_dashboard.numbers import rounded
from kecamatan.models import KtpHolderCount, Region, Target
from kecamatan.progress.runs import progress_recompute
from kecamatan.progress.selectors import progress_for_region
from kecamatan.uploads.load import import_file
from tests.conftest import regions_create, umum_activations_create

SEPT_30, APRIL_9 = dt.date(2024, 9, 30), dt.date(2025, 4, 9)


@pytest.fixture
def tree(db):
    regions_create(
        [
            ("33.11", "Sukoharjo", "kabupaten", None),
            ("33.11.01", "Weru", "kecamatan", "33.11"),
            ("33.11.01.2001", "Alasombo", "desa", "33.11.01"),
            ("33.11.01.2002", "Tegalsari", "desa", "33.11.01"),
        ]
    )
    start = dt.date(2023, 1, 1)
    KtpHolderCount.objects.bulk_create(
        [
            KtpHolderCount(
                region_id="33.11.01.2001", segment_id="umum", valid_from=start, holders=1000
            ),
            KtpHolderCount(
                region_id="33.11.01.2001",
                segment_id="umum",
                valid_from=start,
                basis="wajib_ktp",
                holders=1200,
            ),
            KtpHolderCount(
                region_id="33.11.01.2002", segment_id="umum", valid_from=start, holders=500
            ),
        ]
    )
    umum_activations_create("33.11.01.2001", dt.date(2024, 6, 1), range(100))
    umum_activations_create("33.11.01.2001", APRIL_9, range(100, 150))  # the data date
    umum_activations_create("33.11.01.2002", dt.date(2024, 6, 1), range(200, 220))
    Target.objects.filter(valid_from=dt.date(2025, 1, 1)).update(denominator="wajib_ktp")
    return None


def _figures(code: str, as_of: dt.date) -> dict:
    progress_recompute(as_of=as_of)
    return progress_for_region(region=Region.objects.get(code=code), as_of=as_of)


def test_before_the_switch_every_figure_is_of_ktp_el_holders(tree):
    progress = _figures("33.11", SEPT_30)
    t = progress.totals
    assert progress.denominator == t["denominator"] == "perekaman"
    # 1.000 + 500 holders; 120 activated: 8%; 25% of 1.500 = 375 people, 255 short.
    assert (t["holders"], t["activated"], rounded(t["percent"])) == (1500, 120, Decimal("8.00"))
    assert (t["target_people"], t["gap_people"]) == (375, 255)


def test_after_the_switch_every_figure_is_of_wajib_ktp(tree):
    progress = _figures("33.11", APRIL_9)
    t = progress.totals
    assert progress.denominator == "wajib_ktp"
    # Only Alasombo has a wajib KTP count: 1.200; the 170 activated are all counted (Tegalsari's
    # 20 too: the kabupaten's activations). 30% of 1.200 = 360, 190 short.
    assert (t["holders"], t["activated"]) == (1200, 170)
    assert rounded(t["percent"]) == Decimal("14.17")  # 170 / 1.200
    assert (t["target_people"], t["gap_people"]) == (360, 190)
    desa = _figures("33.11.01", APRIL_9)
    tegalsari = next(c for c in desa.children if c["code"] == "33.11.01.2002")
    # No wajib KTP count: no percentage of anything else.
    assert (tegalsari["holders"], tegalsari["percent"]) == (0, None)


def test_the_pages_and_the_api_name_the_basis_they_computed_on(tree, staf_client):
    progress_recompute(as_of=SEPT_30)
    progress_recompute(as_of=APRIL_9)
    before = staf_client.get("/wilayah/33.11/?tanggal=2024-09-30").content.decode()
    assert 'dari <strong data-testid="holders">1.500</strong> pemilik KTP-el' in before
    after = staf_client.get("/wilayah/33.11/?tanggal=2025-04-09").content.decode()
    assert 'dari <strong data-testid="holders">1.200</strong> wajib KTP' in after
    assert "pemilik KTP-el" not in after.split('data-testid="segments"')[0]
    tegalsari = staf_client.get("/wilayah/33.11.01.2002/?tanggal=2025-04-09").content.decode()
    assert "Belum ada jumlah wajib KTP untuk wilayah ini" in tegalsari
    api = staf_client.get("/api/v1/progress/?region=33.11&as_of=2025-04-09").json()
    assert (api["totals"]["holders"], api["totals"]["denominator"]) == (1200, "wajib_ktp")
    assert {c["denominator"] for c in api["children"]} == {"wajib_ktp"}


def test_a_holders_file_gives_each_count_its_basis(tree, tmp_path):
    path = tmp_path / "pemilik.csv"
    path.write_text(
        "kode_wilayah,segmen,jumlah,per_tanggal,dasar\n"
        "33.11.01.2002,umum,640,01/01/2025,Wajib KTP\n"
        "33.11.01.2002,umum,510,01/01/2025,\n",
        encoding="utf-8",
    )
    report = import_file(path=path, kind="pemilik_ktp")
    assert report.rows_added == 2, report.errors
    stored = KtpHolderCount.objects.filter(region_id="33.11.01.2002", valid_from="2025-01-01")
    assert sorted(stored.values_list("basis", "holders")) == [
        ("perekaman", 510),
        ("wajib_ktp", 640),
    ]
    again = import_file(path=path, kind="pemilik_ktp")
    assert (again.rows_added, again.rows_known) == (0, 2)  # the same file never counts twice
    bad = tmp_path / "salah.csv"
    bad.write_text(
        "kode_wilayah,segmen,jumlah,per_tanggal,dasar\n33.11.01.2002,umum,700,01/01/2025,KK\n",
        encoding="utf-8",
    )
    refused = import_file(path=bad, kind="pemilik_ktp")
    assert refused.errors and "Dasar tidak dikenal" in refused.errors[0].message
    assert stored.count() == 2  # nothing of the bad file was kept


def test_a_count_written_without_its_basis_is_of_ktp_el_holders(tree):
    """A restore or a COPY that predates bases writes no basis: the database fills perekaman."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO kecamatan_ktpholdercount (region_id, segment_id, valid_from, holders)"
            " VALUES ('33.11.01.2002', 'asn', '2023-01-01', 40)"
        )
    assert KtpHolderCount.objects.get(segment_id="asn").basis == "perekaman"
