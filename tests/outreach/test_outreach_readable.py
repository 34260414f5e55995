"""The outreach room read as issue 13 asks of every page (docs/design.md, "Figures as leaders
read them"): dates typed and shown dd/mm/yyyy with the date in words (ISO links keep working), and
the daily recap, the plan and the monthly report's outreach section in the one vocabulary."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import KtpHolderCount, Region, Upload, Visit
from kecamatan.outreach.recap import recap_figures, recap_text
from kecamatan.progress.runs import progress_recompute
from kecamatan.vocabulary import format_percent, format_yield
from tests.outreach.outreach_data import D, outreach_visits_create, visit

APRIL_10 = D(2025, 4, 10)


@pytest.fixture
def visits(small_kabupaten, petugas, admin_user):
    progress_recompute(as_of=APRIL_10)  # the small kabupaten's data runs to 10 April 2025
    return outreach_visits_create(petugas=petugas, admin=admin_user)


def _kabupaten() -> Region:
    return Region.objects.get(code="33.11")


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _listed(html: str) -> list[str]:
    """The locations in the visit list, top to bottom."""
    table = html[html.index('data-testid="visits"') :].split("</table>")[0]
    return re.findall(r'/jemput-bola/kunjungan/\d+/">([^<]+)</a>', table)


def _box(html: str, name: str) -> str:
    """The <input> of a date box."""
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


# --- dates ------------------------------------------------------------------------------------


def test_the_visit_list_reads_a_period_typed_as_day_month_year(staf_client, visits):
    html = _html(staf_client, "/jemput-bola/?dari=01/03/2025&sampai=20/03/2025")
    # V1 (3 March), V3 (10 March), V2 (20 March); V6 was cancelled on the 25th, V4 in February.
    assert _listed(html) == ["SMA N 1 Weru", "Pasar Tegalsari", "SMA N 1 Weru"]
    box = _box(html, "dari")
    assert 'type="text"' in box and 'value="01/03/2025"' in box and 'inputmode="numeric"' in box
    assert 'aria-describedby="id_dari-words"' in box
    assert '<span class="date-words" id="id_dari-words">1 Maret 2025</span>' in html
    assert '<span class="date-words" id="id_sampai-words">20 Maret 2025</span>' in html
    assert 'type="date"' not in html  # no box that follows the browser's language


def test_a_shared_link_with_iso_dates_still_works_and_shows_day_month_year(staf_client, visits):
    typed = _html(staf_client, "/jemput-bola/?dari=01/03/2025&sampai=20/03/2025")
    linked = _html(staf_client, "/jemput-bola/?dari=2025-03-01&sampai=2025-03-20")
    assert _listed(linked) == _listed(typed)
    assert 'value="01/03/2025"' in _box(linked, "dari")
    assert 'value="20/03/2025"' in _box(linked, "sampai")


def test_a_default_period_is_shown_in_the_boxes(staf_client, visits):
    # The yield page reads the year up to the day outreach figures run to (the 10th: the last
    # activation), when the URL names no period.
    html = _html(staf_client, "/jemput-bola/hasil/")
    assert 'value="11/04/2024"' in _box(html, "dari") and 'value="10/04/2025"' in _box(
        html, "sampai"
    )
    assert "10 April 2025" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("dari=31/02/2025", "Masukkan tanggal yang valid."),
        ("dari=03/31/2025", "Masukkan tanggal yang valid."),  # the American way is no date
        ("dari=01/01/1999", "Tanggal harus antara 2022 dan 2100."),
        ("sampai=01/01/2101", "Tanggal harus antara 2022 dan 2100."),
        ("dari=20/03/2025&sampai=01/03/2025", "sesudah tanggal awal"),
    ],
)
def test_a_wrong_date_in_the_filters_is_explained_and_kept_as_typed(
    staf_client, visits, query, message
):
    html = _html(staf_client, f"/jemput-bola/?{query}")
    assert message in html
    name, typed = query.split("&")[-1].split("=")
    box = _box(html, name)
    assert f'value="{typed}"' in box and 'aria-invalid="true"' in box


def test_the_recap_and_the_calendar_read_day_month_year_and_iso_alike(staf_client, visits):
    typed = _html(staf_client, "/jemput-bola/rekap/?tanggal=10/03/2025")
    linked = _html(staf_client, "/jemput-bola/rekap/?tanggal=2025-03-10")
    recap = re.compile(r'data-testid="recap-text">([^<]*)</textarea>', re.S)
    assert recap.search(typed).group(1) == recap.search(linked).group(1)
    assert "Senin, 10 Maret 2025" in recap.search(typed).group(1)
    assert 'value="10/03/2025"' in _box(typed, "tanggal")
    week = _html(staf_client, "/jemput-bola/kalender/?minggu=16/04/2025")
    assert "Kalender kegiatan 14 April – 20 April 2025" in week
    assert 'value="14/04/2025"' in _box(week, "minggu")  # the week's Monday, as shown
    assert "Balai Desa Puron" in week  # V5, planned on the 14th


def test_a_visit_is_planned_with_dates_typed_as_day_month_year(admin_client, visits, petugas):
    response = admin_client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "status": "planned",
            "planned_on": "05/05/2025",
            "region": "33.11.01.2002",
            "place": "sekolah",
            "location": "SMK N 1 Weru",
            "origin": "request",
            "letter_number": "005/12/SMK1/2025",
            "letter_date": "02/04/2025",
            "officers": [petugas.pk],
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(location="SMK N 1 Weru")
    assert (visit.planned_on, visit.letter_date) == (D(2025, 5, 5), D(2025, 4, 2))
    form = _html(admin_client, response["Location"])
    assert 'value="05/05/2025"' in _box(form, "planned_on")
    assert 'value="02/04/2025"' in _box(form, "letter_date")


def test_a_visit_dated_outside_2022_to_2100_is_refused_by_the_form_and_the_api(
    admin_client, visits, admin_user, petugas
):
    response = admin_client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "status": "planned",
            "planned_on": "01/01/0001",
            "region": "33.11.01.2002",
            "place": "pasar",
            "location": "Pasar Lama",
            "origin": "scheduled",
            "officers": [petugas.pk],
        },
    )
    assert "Tanggal harus antara 2022 dan 2100." in response.content.decode()
    api = admin_client.post(
        "/api/v1/outreach/visits/",
        {
            "client_id": "0b7a5e9c-3f4d-4c1a-9d2e-6f1c2b8e1f20",
            "region": "33.11.01.2002",
            "place": "pasar",
            "location": "Pasar Lama",
            "status": "planned",
            "planned_on": "2101-01-01",
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["errors"] == {"planned_on": "Tanggal harus antara 2022 dan 2100."}
    assert not Visit.objects.filter(location="Pasar Lama").exists()


@time_machine.travel(dt.datetime(2025, 4, 11, 3, 0, tzinfo=dt.UTC))  # 10:00 WIB
def test_the_phone_entry_without_javascript_takes_a_typed_date_and_refuses_tomorrow(
    client, petugas, visits
):
    client.force_login(petugas)
    page = _html(client, "/jemput-bola/catat/")
    assert 'value="11/04/2025"' in _box(page, "day") and "11 April 2025" in page
    entry = {
        "client_id": "6f1c2b8e-3f4d-4c1a-9d2e-0b7a5e9c1f20",
        "status": "held",
        "region": "33.11.01.2002",
        "place": "sekolah",
        "location": "SMK N 1 Weru",
        "officers": [petugas.pk],
        "activated": "12",
    }
    tomorrow = client.post("/jemput-bola/catat/", {**entry, "day": "12/04/2025"})
    html = tomorrow.content.decode()
    assert "Tanggal pelaksanaan tidak boleh setelah hari ini." in html
    assert 'aria-invalid="true"' in _box(html, "day")  # said at the date box
    assert client.post("/jemput-bola/catat/", {**entry, "day": "09/04/2025"}).status_code == 302
    stored = Visit.objects.get(location="SMK N 1 Weru")
    assert (stored.held_on, stored.activated) == (D(2025, 4, 9), 12)


# --- the daily recap --------------------------------------------------------------------------


def test_a_recap_of_a_day_not_every_kecamatan_has_reported_keeps_to_the_data_date(
    visits, admin_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    # Weru sends two activations of 11 April; Bulu has reported up to the 10th only.
    settings.UPLOAD_DIR = tmp_path / "uploads"
    csv = "nik,tanggal_aktivasi,kode_wilayah\n" + "".join(
        f"331101010180{i:04d},2025-04-11,33.11.01.2001\n" for i in (1, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/unggah/", {"kind": "aktivasi", "file": SimpleUploadedFile("a.csv", csv.encode())}
        )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/unggah/{Upload.objects.get().pk}/keputusan/", {"action": "import"})
    text = recap_text(recap_figures(region=_kabupaten(), day=D(2025, 4, 11)))
    lines = text.splitlines()
    assert lines[1] == "- Aktivasi 11 April: 2 orang (belum semua kecamatan melapor)."
    # The figures are those of the 10th, the day both have reported: 285, not 287.
    assert lines[2] == (
        "- Capaian 12,4%: 285 dari 2.300 pemilik KTP-el (data lengkap s.d. 10 April 2025)."
    )
    assert lines[3] == "- Seharusnya sudah 356 orang pada 10 April 2025; tertinggal 71 orang."


def test_a_recap_of_a_past_day_for_a_kecamatan_far_from_its_target(visits):
    # Bulu with 400.000 more holders: 100 of 400.500 is 0,02%; nobody in the 30 days to 9 April.
    KtpHolderCount.objects.create(
        region_id="33.11.02.2001", segment_id="umum", valid_from=D(2025, 1, 1), holders=400_400
    )
    bulu = Region.objects.get(code="33.11.02")
    text = recap_text(recap_figures(region=bulu, day=D(2025, 4, 9)))
    assert text.splitlines() == [
        "Rekap IKD Kecamatan Bulu, Rabu, 9 April 2025",
        "- Aktivasi 9 April: 0 orang.",
        "- Capaian <0,1%: 100 dari 400.500 pemilik KTP-el (data per 9 April 2025).",
        # From 100 on 31 Dec 2024 to 120.150 (30%) on 31 Dec 2025: 99 days of 365 gone.
        "- Seharusnya sudah 32.661 orang pada 9 April 2025; tertinggal 32.561 orang.",
        "- Jemput bola: tidak ada kegiatan terlaksana.",
        "- Kekurangan: 120.050 orang lagi untuk target 30% pada 31 Desember 2025; terbesar di "
        "Puron (120.050).",
        "- Tidak ada aktivasi dalam 30 hari terakhir, jadi target tidak tercapai pada tenggat "
        "31 Desember 2025; dibutuhkan 451 orang per hari.",  # 120.050 over 266 days
    ]
    assert "0,0" not in text


def test_a_yield_reads_with_one_decimal_and_never_as_zero_beside_activations():
    values = (Decimal("14.56"), 5, Decimal("0.04"), 0, None)
    assert [format_yield(v) for v in values] == ["14,6", "5,0", "<0,1", "0,0", "–"]


# --- the plan and the monthly report --------------------------------------------------------------


def test_the_plan_says_where_the_team_leads_by_the_deadline_in_one_sentence(staf_client, visits):
    html = re.sub(r"\s+", " ", _html(staf_client, "/jemput-bola/rencana/"))
    assert "Data lengkap s.d. 10 April 2025" in html
    body = staf_client.get("/api/v1/outreach/plan/").json()
    f = body["forecast"]

    # The sentence reads the API's own figures, in Indonesian form.
    def percent(people):
        return format_percent(Decimal(people * 100) / Decimal(2300))

    use = format_percent(Decimal(str(f["team_use"])) * 100, digits=0)
    assert (
        f"Dengan 2 petugas (Senin–Jumat) bekerja seperti 60 hari terakhir ({use} hari-petugas "
        f"terpakai), capaian 31 Desember 2025 diperkirakan {percent(f['activated'])} "
        f"({percent(f['low'])}–{percent(f['high'])})."
    ) in html
    assert (
        f"Bila jadwal usulan dijalankan penuh setiap hari kerja: {percent(f['plan_full'])}."
    ) in html
    # The straight line of the last 30 days stays beside it, named as such.
    assert "Garis lurus laju 30 hari terakhir (tanpa rencana)" in html


def _section(html: str, testid: str) -> str:
    return re.sub(r"\s+", " ", html[html.index(f'data-testid="{testid}"') :].split("</p>")[0])


def test_the_monthly_reports_outreach_section_in_the_reports_words(staf_client, visits):
    march = _html(staf_client, "/laporan/2025/3/")
    # March: V1 40, V2 20, V3 9; 20 failed, of whom 11 for a retryable reason (6 + 3 + 2).
    assert (
        "3 kegiatan terlaksana bulan Maret 2025: 69 orang aktivasi, 23,0 per kegiatan. 20 orang "
        "gagal aktivasi; 55,0% di antaranya bisa diselesaikan pada kunjungan berikutnya."
    ) in _section(march, "report-outreach-summary")
    # On 31 March 430 people were missing with 275 days left: 1,6 a day, 47,59 a month; at
    # 94 / 4 = 23,5 per visit over the year, 3 visits.
    assert (
        "Rencana April 2025: 1 kegiatan, perkiraan 50 peserta. Untuk mencapai target dibutuhkan "
        "1,6 orang per hari (48 sebulan); dengan rata-rata setahun terakhir, 23,5 aktivasi per "
        "kegiatan, itu 3 kegiatan per bulan bila seluruh kekurangan ditutup lewat jemput bola."
    ) in _section(march, "report-outreach-plan")
    # April runs to the data date, 10 April: a stretch of the month, named as such.
    april = _html(staf_client, "/laporan/2025/4/")
    assert "Tidak ada kegiatan terlaksana 1–10 April 2025." in _section(
        april, "report-outreach-summary"
    )


# --- the API ----------------------------------------------------------------------------------


def test_the_outreach_api_reads_codes_without_dots_and_answers_in_the_requests_language(
    staf_client, visits
):
    dotted = staf_client.get("/api/v1/outreach/yield/?region=33.11.01").json()
    assert staf_client.get("/api/v1/outreach/yield/?region=331101").json() == dotted
    assert dotted["totals"]["activated"] == 81  # Weru, no period: V1 40, V2 20, V3 9, V7 12
    english = staf_client.get(
        "/api/v1/outreach/visits/", {"since": "9 April"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 400
    assert english.json() == {"error": "since '9 April' is not a valid YYYY-MM-DD date."}
    # A value that looks like a NIK is never echoed whole.
    nik = staf_client.get("/api/v1/outreach/next/", {"region": "3311010101900001"})
    assert nik.status_code == 404 and "3311010101900001" not in nik.content.decode()
    assert nik.json()["error"].startswith("Wilayah '3311")


# --- one look ---------------------------------------------------------------------------------


def test_sortable_tables_carry_plain_numbers_so_a_thousand_sorts_above_fifty(
    staf_client, visits, petugas
):
    visit("33.11.01.2001", "lainnya", "Pameran UMKM", "held", D(2025, 3, 25), [petugas], 1_200)
    for path in ("/jemput-bola/hasil/", "/jemput-bola/selisih/?dari=2025-03-01"):
        html = _html(staf_client, path)
        assert "1.200" in html  # shown as the office writes it…
        sorts = re.findall(r'data-sort="(-?[\d.,]+)"', html)
        assert "1200" in sorts and "1.200" not in sorts, path  # …sorted as a number
        assert all(float(s) == float(s) and "," not in s for s in sorts)
