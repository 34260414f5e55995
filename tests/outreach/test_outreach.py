"""Outreach figures on the hand-made visits (tests/outreach/outreach_data.py), worked out by
hand: what each kind of visit yields, where to go next, the plan against the target, reported
vs recorded, the calendar's double-booking warning, the daily recap and the monthly report's
section."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from ikd_dashboard.numbers import rounded
from kecamatan.models import Activation, KtpHolderCount, Region
from kecamatan.nik import nik_hash
from kecamatan.outreach.planning import where_next
from kecamatan.outreach.recap import recap_figures, recap_text
from kecamatan.outreach.reconcile import reported_vs_recorded
from kecamatan.outreach.selectors import outreach_as_of
from kecamatan.outreach.yields import outreach_yield
from kecamatan.progress.runs import progress_recompute
from kecamatan.regions import region_closure_rebuild
from reports.issue import report_xlsx
from reports.monthly import report_figures
from tests.outreach.outreach_data import D, officer, outreach_visits_create, visit

APRIL_10 = D(2025, 4, 10)


@pytest.fixture
def visits(small_kabupaten, petugas, admin_user):
    progress_recompute(as_of=APRIL_10)  # the small kabupaten's data runs to 10 April 2025
    return outreach_visits_create(petugas=petugas, admin=admin_user)


def _kabupaten():
    return Region.objects.get(code="33.11")


# --- what each kind of visit yields ----------------------------------------------------------


def test_the_yield_per_place_type_is_worked_out_from_the_held_visits(visits):
    result = outreach_yield(region=_kabupaten(), since=D(2025, 1, 1), until=APRIL_10)
    rows = {r.key: r for r in result.rows}
    # Sekolah: V1 + V2 = 60 people in 2 visits, 3 officer-days (2 + 1); 13 failed, 9 retryable.
    sekolah = rows["sekolah"]
    assert (sekolah.visits, sekolah.activated, sekolah.officer_days) == (2, 60, 3)
    assert (sekolah.per_visit, sekolah.per_officer_day) == (Decimal("30.00"), Decimal("20.00"))
    assert (sekolah.failed, sekolah.failed_retryable) == (13, 9)
    assert rounded(sekolah.retryable_share) == Decimal("69.23")  # 9 / 13
    assert sekolah.failed_by_reason == {"tanpa_email": 6, "tanpa_hp": 4, "wajah_gagal": 3}
    # Desa: V4 alone, 25 people, 3 officers. Pasar: V3, 9 people, 7 failed of whom 2 retryable.
    assert (rows["desa"].per_visit, rounded(rows["desa"].per_officer_day)) == (25, Decimal("8.33"))
    assert (rows["pasar"].per_visit, rounded(rows["pasar"].retryable_share)) == (
        9,
        Decimal("28.57"),
    )
    # The best per visit first; V7 (2024), V5 (planned) and V6 (cancelled) are not in it.
    assert [r.key for r in result.rows] == ["sekolah", "desa", "pasar"]
    t = result.totals
    assert (t.visits, t.activated, t.officer_days, t.failed, t.failed_retryable) == (
        4,
        94,
        7,
        24,
        15,
    )
    assert (rounded(t.per_visit), rounded(t.per_officer_day), rounded(t.retryable_share)) == (
        Decimal("23.50"),
        Decimal("13.43"),
        Decimal("62.50"),
    )


def test_the_yield_per_kecamatan_and_within_a_kecamatan(visits):
    by_kecamatan = outreach_yield(
        region=_kabupaten(), since=D(2025, 1, 1), until=APRIL_10, by="region"
    )
    rows = {
        r.label: (r.visits, r.activated, rounded(r.per_visit), rounded(r.per_officer_day))
        for r in by_kecamatan.rows
    }
    # Weru: V1, V2, V3 = 69 people, 4 officer-days; Bulu: V4 = 25 people, 3 officer-days.
    assert rows == {
        "Weru": (3, 69, Decimal("23.00"), Decimal("17.25")),
        "Bulu": (1, 25, Decimal("25.00"), Decimal("8.33")),
    }
    weru = Region.objects.get(code="33.11.01")
    by_desa = outreach_yield(region=weru, since=None, until=None, by="region")
    # All time in Weru: V7 (Tegalsari, 2024) counts now.
    assert {r.label: r.activated for r in by_desa.rows} == {"Alasombo": 60, "Tegalsari": 21}


def test_the_yield_page_shows_the_chart_and_the_table_with_the_period_in_the_url(
    staf_client, visits
):
    html = staf_client.get("/jemput-bola/hasil/?dari=2025-01-01&sampai=2025-04-10").content.decode()
    assert 'id="yield-chart-data"' in html and 'id="reasons-chart-data"' in html
    table = html[html.index('data-testid="yield-by-place"') :]
    assert "Sekolah" in table and "30,0" in table and "69,2%" in table
    assert 'value="01/01/2025"' in html  # an ISO link, shown dd/mm/yyyy
    march = staf_client.get(
        "/jemput-bola/hasil/?dari=2025-03-01&sampai=2025-03-31"
    ).content.decode()
    march_table = march[march.index('data-testid="yield-by-place"') :].split("</table>")[0]
    assert "Balai desa" not in march_table  # V4 was in February


# --- where to go next ------------------------------------------------------------------------


@pytest.fixture
def kedungsono(visits):
    """A fourth desa in Bulu, never visited, with the same gap as Puron (45 people)."""
    Region.objects.create(
        code="33.11.02.2002", name="Kedungsono", level="desa", depth=4, parent_id="33.11.02"
    )
    region_closure_rebuild()
    KtpHolderCount.objects.create(
        region_id="33.11.02.2002", segment_id="umum", valid_from=D(2023, 1, 1), holders=150
    )
    progress_recompute(as_of=APRIL_10)
    return visits


def test_where_next_ranks_desa_by_people_still_needed_then_by_time_since_a_visit(kedungsono):
    items = where_next(region=_kabupaten(), reference=APRIL_10)
    # Gaps on 10 April: Alasombo 390 − 160 = 230, Tegalsari 150 − 20 = 130, Puron 150 − 105 = 45,
    # Kedungsono 45 − 0 = 45 (never visited: before Puron, last visited 55 days earlier).
    assert [(i["name"], i["gap_people"]) for i in items] == [
        ("Alasombo", 230),
        ("Tegalsari", 130),
        ("Kedungsono", 45),
        ("Puron", 45),
    ]
    by_name = {i["name"]: i for i in items}
    alasombo, tegalsari, puron = by_name["Alasombo"], by_name["Tegalsari"], by_name["Puron"]
    assert (alasombo["last_visit_on"], alasombo["days_since"]) == (D(2025, 3, 20), 21)
    assert (tegalsari["last_visit_on"], tegalsari["days_since"]) == (D(2025, 3, 10), 31)
    assert (puron["last_visit_on"], puron["days_since"]) == (D(2025, 2, 14), 55)
    assert by_name["Kedungsono"]["last_visit_on"] is None
    # Retryable failures still waiting: V1's were followed by V2 (same desa, same place), V2's 3
    # were not; Tegalsari's 2 without signal (the 5 who refused are final); Puron's 4 emails.
    assert [i["retryable_waiting"] for i in items] == [3, 2, 0, 4]
    # Best place type: Alasombo's own (2 visits, sekolah 30/visit); Tegalsari had one visit in
    # the year, so Weru's (sekolah); Puron and Kedungsono, Bulu's (desa, 25/visit).
    assert (alasombo["best_place"], alasombo["best_where"], alasombo["best_per_visit"]) == (
        "sekolah",
        "desa",
        30.0,
    )
    assert (tegalsari["best_place"], tegalsari["best_where"]) == ("sekolah", "kecamatan")
    assert (puron["best_place"], puron["best_per_visit"]) == ("desa", 25.0)


def test_the_where_next_page_marks_desa_not_visited_in_90_days(staf_client, kedungsono):
    html = staf_client.get("/jemput-bola/tujuan/").content.decode()
    table = html[html.index('data-testid="next"') :]
    assert table.index("Alasombo") < table.index("Tegalsari") < table.index("Kedungsono")
    kedungsono_row = table[table.rindex("<tr", 0, table.index("Kedungsono")) :].split("</tr>")[0]
    assert 'class="long-ago"' in kedungsono_row and "belum pernah" in kedungsono_row


def test_where_next_downloads_as_the_ranking(staf_client, kedungsono):
    response = staf_client.get("/jemput-bola/tujuan/unduh.xlsx?n=10")
    assert response.status_code == 200
    assert "tujuan-jemput-bola-33.11-2025-04-10.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "Peringkat",
        "Kode wilayah",
        "Desa/Kelurahan",
        "Kecamatan",
        "Kekurangan (orang)",
    )
    assert [r[2] for r in rows[1:]] == ["Alasombo", "Tegalsari", "Kedungsono", "Puron"]
    assert rows[1][:6] == (1, "33.11.01.2001", "Alasombo", "Weru", 230, "sekolah")
    assert rows[1][7].date() == D(2025, 3, 20) and rows[1][8:] == (21, 3)
    csv = staf_client.get("/jemput-bola/tujuan/unduh.csv?n=10").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("1,33.11.01.2001,Alasombo,Weru,230,sekolah,30")


def test_the_next_api_gives_the_ranking(staf_client, kedungsono):
    body = staf_client.get("/api/v1/outreach/next/", {"region": "33.11", "n": 2}).json()
    assert body["items"] == [
        {
            "code": "33.11.01.2001",
            "name": "Alasombo",
            "gap_people": 230,
            "last_visit_on": "2025-03-20",
            "days_since": 21,
            "retryable_waiting": 3,
            "kecamatan": "Weru",
            "best_place": "sekolah",
            "percent": 12.31,  # 160 of 1.300
        },
        {
            "code": "33.11.01.2002",
            "name": "Tegalsari",
            "gap_people": 130,
            "last_visit_on": "2025-03-10",
            "days_since": 31,
            "retryable_waiting": 2,
            "kecamatan": "Weru",
            "best_place": "sekolah",
            "percent": 4.0,  # 20 of 500
        },
    ]
    assert (body["as_of"], body["gap_as_of"]) == ("2025-04-10", "2025-04-10")
    assert staf_client.get("/api/v1/outreach/next/?n=0").status_code == 400


# --- reported vs recorded -----------------------------------------------------------------------


def _activations(region: str, day: dt.date, place: str, count: int, start: int) -> None:
    Activation.objects.bulk_create(
        Activation(
            nik_hash=nik_hash(f"{region[:8].replace('.', '')}0303850{start + i:03d}"),
            activated_on=day,
            region_id=region,
            segment_id="pelajar",
            place=place,
        )
        for i in range(count)
    )


def test_reported_vs_recorded_on_a_hand_made_day(visits, petugas):
    # 3 March 2025: a second school visit in Alasombo the same day (5 more reported); the files
    # hold 35 school activations in Alasombo, 3 in Tegalsari (same kecamatan), 2 at its market.
    visit("33.11.01.2001", "sekolah", "SMK N 1 Weru", "held", D(2025, 3, 3), [petugas], 5)
    _activations("33.11.01.2001", D(2025, 3, 3), "sekolah", 35, 1)
    _activations("33.11.01.2002", D(2025, 3, 3), "sekolah", 3, 100)
    _activations("33.11.01.2001", D(2025, 3, 3), "pasar", 2, 200)
    result = reported_vs_recorded(region=_kabupaten(), since=D(2025, 3, 3), until=D(2025, 3, 3))
    assert [
        (
            r["region__name"],
            r["place"],
            r["visits"],
            r["reported"],
            r["recorded"],
            r["difference"],
            r["recorded_kecamatan"],
        )
        for r in result["rows"]
    ] == [("Alasombo", "sekolah", 2, 45, 35, 10, 38)]
    march = reported_vs_recorded(region=_kabupaten(), since=D(2025, 3, 1), until=D(2025, 3, 31))
    # V2 and V3 have nothing in the files (the small kabupaten's activations are "lainnya").
    assert march["totals"] == {
        "visits": 4,
        "reported": 45 + 20 + 9,
        "recorded": 35,
        "recorded_kecamatan": 38,
        "difference": 74 - 35,
        "waiting_visits": 0,  # every kecamatan has files past March (10 April)
        "waiting_reported": 0,
    }


def test_a_visit_after_the_last_file_is_waiting_for_its_upload_not_a_difference(
    visits, petugas, staf_client
):
    # The small kabupaten's files end on 10 April 2025: a visit on 14 April reported 7 people,
    # and nothing can be recorded for that day yet.
    late = visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", D(2025, 4, 14), [petugas], 7)
    result = reported_vs_recorded(region=_kabupaten(), since=D(2025, 4, 1), until=D(2025, 4, 30))
    row = next(r for r in result["rows"] if r["held_on"] == D(2025, 4, 14))
    assert (row["uploaded"], row["recorded"], row["difference"]) == (False, 0, None)
    assert (result["totals"]["waiting_visits"], result["totals"]["waiting_reported"]) == (1, 7)
    assert result["totals"]["reported"] == sum(
        r["reported"] for r in result["rows"] if r["uploaded"]
    )
    page = staf_client.get(
        "/jemput-bola/selisih/?wilayah=33.11&dari=01/04/2025&sampai=30/04/2025"
    ).content.decode()
    assert 'data-testid="not-uploaded">belum diunggah</td>' in page
    assert "+7" not in page
    assert "1 kegiatan dengan 7 aktivasi dilaporkan belum diunggah" in page
    detail = staf_client.get(f"/jemput-bola/kunjungan/{late.pk}/").content.decode()
    assert "Belum diunggah: berkas aktivasi kecamatan ini baru sampai 10 April 2025" in detail


def test_outreach_pages_run_to_the_data_date_not_to_a_visit_entered_today(
    visits, petugas, staf_client
):
    visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", D(2025, 4, 14), [petugas], 7)
    assert outreach_as_of() == D(2025, 4, 10)  # the data date, not 14 April
    recap = staf_client.get("/jemput-bola/rekap/?wilayah=33.11").content.decode()
    assert "Aktivasi 10 April" in recap
    late = staf_client.get("/jemput-bola/rekap/?wilayah=33.11&tanggal=14/04/2025").content
    assert "Aktivasi 14 April: belum ada berkas yang diunggah" in late.decode()
    assert "Aktivasi 14 April: 0 orang" not in late.decode()


def test_the_reported_vs_recorded_page_and_the_visit_page_show_the_difference(staf_client, visits):
    _activations("33.11.01.2001", D(2025, 3, 3), "sekolah", 36, 1)
    html = staf_client.get(
        "/jemput-bola/selisih/?dari=2025-03-01&sampai=2025-03-31"
    ).content.decode()
    assert 'data-testid="reconcile-difference">+33<' in html  # 69 reported − 36 recorded
    page = staf_client.get(f"/jemput-bola/kunjungan/{visits['V1'].pk}/").content.decode()
    box = page[page.index('data-testid="visit-comparison"') :]
    assert ">40<" in box and ">36<" in box and "+4" in box


# --- the calendar ---------------------------------------------------------------------------------


def test_the_calendar_warns_of_an_officer_booked_twice_on_a_day(staf_client, visits, petugas):
    budi = officer("budi", "Budi", "Santoso")
    visit(
        "33.11.01.2001", "desa", "Balai Desa Alasombo", "planned", D(2025, 4, 14), [budi, petugas]
    )
    # Cancelled visits book nobody: petugas has one live visit that day.
    visit("33.11.01.2002", "sekolah", "SMP N 2 Weru", "cancelled", D(2025, 4, 14), [petugas])
    html = staf_client.get("/jemput-bola/kalender/?minggu=2025-04-16").content.decode()
    warning = html[html.index('data-testid="double-booking"') :].split("</section>")[0]
    assert "Budi Santoso terjadwal 2 kali pada Senin, 14 April 2025" in warning
    assert "Balai Desa Puron" in warning and "Balai Desa Alasombo" in warning
    assert "petugas" not in warning
    calendar = html[html.index('data-testid="calendar"') :]
    assert "Bulu" in calendar and "Weru" in calendar and "SMP N 2 Weru" not in calendar
    quiet = staf_client.get("/jemput-bola/kalender/?minggu=2025-03-03").content.decode()
    assert "double-booking" not in quiet and "SMA N 1 Weru" in quiet


def test_saving_a_visit_that_books_an_officer_twice_warns(admin_client, visits):
    budi = officer("budi", "Budi", "Santoso")
    response = admin_client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "status": "planned",
            "planned_on": "2025-04-14",
            "region": "33.11.01.2002",
            "place": "sekolah",
            "location": "SMP N 1 Weru",
            "origin": "scheduled",
            "officers": [budi.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Budi Santoso sudah dijadwalkan di kegiatan lain pada 14 April 2025" in (
        response.content.decode()
    )


# --- the daily recap and the monthly report -------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 4, 11, 7, 30, tzinfo=dt.UTC))  # 14:30 WIB, the next day
def test_the_daily_recap_on_a_fixed_day(staf_client, visits):
    budi = officer("budi", "Budi", "Santoso")
    visit(
        "33.11.02.2001",
        "pasar",
        "Pasar Bulu",
        "held",
        APRIL_10,
        [budi],
        5,
        {"tanpa_hp": 2, "tanpa_email": 1},
    )
    # 285 of 2.300 holders; the straight line from 230 (31 Dec 2024) to 690 (30% of 2.300 on 31
    # Dec 2025) is at 230 + 460 × 100/365 = 356 on 10 April; 55 people in the 30 days to the 10th
    # is 1,8 a day, so the 405 missing take 221 days more: November 2025.
    expected = "\n".join(
        [
            "Rekap IKD Kabupaten Sukoharjo, Kamis, 10 April 2025",
            "- Aktivasi 10 April: 5 orang.",
            "- Capaian 12,4%: 285 dari 2.300 pemilik KTP-el (data lengkap s.d. 10 April 2025).",
            "- Seharusnya sudah 356 orang pada 10 April 2025; tertinggal 71 orang.",
            "- Jemput bola: 1 kegiatan, 5 aktivasi (5,0 per kegiatan), 3 gagal (1 bisa diulang).",
            "  · Pasar: 1 kegiatan, 5 aktivasi",
            "- Kekurangan: 405 orang lagi untuk target 30% pada 31 Desember 2025; terbesar di "
            "Weru (360), Bulu (45).",
            "- Dengan laju 30 hari terakhir (1,8/hari) target tercapai sekitar November 2025, "
            "sebelum tenggat 31 Desember 2025.",
        ]
    )
    assert recap_text(recap_figures(region=_kabupaten(), day=APRIL_10)) == expected
    html = staf_client.get("/jemput-bola/rekap/").content.decode()  # yesterday by default
    assert "Rekap IKD Kabupaten Sukoharjo, Kamis, 10 April 2025" in html
    assert 'id="recap-copy"' in html


def test_the_recap_stays_within_1000_characters(visits):
    for region in Region.objects.all():  # names as long as the database allows
        region.name = (region.name + " Panjang Sekali Namanya" * 5)[:100]
        region.save(update_fields=["name"])
    for i, (place, _label) in enumerate(Activation.Place.choices):
        visit("33.11.01.2001", place, f"Tempat {i}", "held", APRIL_10, [], 1)
    text = recap_text(recap_figures(region=_kabupaten(), day=APRIL_10))
    assert len(text) <= 1000
    assert text.startswith("Rekap IKD Kabupaten Sukoharjo Panjang") and "Kekurangan:" in text


def test_when_the_recap_is_too_long_the_place_lines_go_first(visits, monkeypatch):
    from kecamatan.outreach import recap

    for i, (place, _label) in enumerate(Activation.Place.choices):
        visit("33.11.01.2001", place, f"Tempat {i}", "held", APRIL_10, [], 1)
    full = recap_text(recap_figures(region=_kabupaten(), day=APRIL_10))
    assert full.count("  · ") == 8
    monkeypatch.setattr(recap, "RECAP_MAX_CHARS", len(full) - 60)
    short = recap_text(recap_figures(region=_kabupaten(), day=APRIL_10))
    assert len(short) <= len(full) - 60 and short.count("  · ") < 8
    assert "Kekurangan: 405 orang" in short and short.endswith("31 Desember 2025.")


def test_the_monthly_report_has_an_outreach_section(staf_client, visits):
    figures = report_figures(D(2025, 3, 1))
    outreach = figures["outreach"]
    # March: V1, V2, V3 — 69 people; sekolah 60 in 2 visits, pasar 9 in 1.
    assert (outreach["held"], outreach["activated"], outreach["per_visit"]) == (3, 69, 23.0)
    assert outreach["by_place"] == [
        {"place": "sekolah", "visits": 2, "activated": 60, "per_visit": 30.0},
        {"place": "pasar", "visits": 1, "activated": 9, "per_visit": 9.0},
    ]
    assert [(r["code"], r["people"]) for r in outreach["top_reasons"]] == [
        ("tanpa_email", 6),
        ("menolak", 5),
        ("tanpa_hp", 4),
        ("wajah_gagal", 3),
        ("tanpa_sinyal", 2),
    ]
    # April's plan: V5 (50 expected). Needed on 31 March: 430 people over 275 days, 47,59 a month,
    # at 94 / 4 = 23,5 per visit over the year → 3 visits.
    assert rounded(figures["totals"]["needed_per_month"]) == Decimal("47.59")
    assert outreach["next_month"] == {
        "month": "2025-04-01",
        "planned": 1,
        "expected": 50,
        "per_visit_last_year": 23.5,
        "visits_needed": 3,
    }
    html = staf_client.get("/laporan/2025/3/").content.decode()
    section = html[html.index('data-testid="report-outreach"') :].split("</section>")[0]
    assert "Jemput bola" in section and "69" in section and "Tidak punya alamat email" in section
    sheet = load_workbook(io.BytesIO(report_xlsx(figures)))["Jemput bola"]
    assert ("Sekolah", 2, 60, 30.0) in list(sheet.iter_rows(values_only=True))
