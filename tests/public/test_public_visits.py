"""Where the officers will be: the open page lists the next two weeks' planned visits at places
anyone may come to, by day, with their hours when the planner gave them; the planning form
takes those hours."""

import datetime as dt

import pytest

from kecamatan.models import Visit
from tests.outreach.outreach_data import visit
from tests.public.public_data import MONDAY, on_day

ALASOMBO, TEGALSARI, PURON = "33.11.01.2001", "33.11.01.2002", "33.11.02.2001"
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def schedule(settings, small_kabupaten, petugas):
    settings.PUBLIC_PAGE = True
    t = dt.time

    def planned(region, place, location, day, **extra):
        return visit(region, place, location, "planned", day, [petugas], **extra)

    planned(ALASOMBO, "desa", "Balai Desa Alasombo", TUESDAY, time_from=t(8), time_to=t(12))
    planned(PURON, "pasar", "Pasar Puron", TUESDAY + dt.timedelta(days=1))  # no hours given
    planned(TEGALSARI, "kecamatan", "Kantor Kecamatan Weru", MONDAY, time_from=t(13))
    last = MONDAY + dt.timedelta(days=13)
    planned(PURON, "lainnya", "Lapangan Puron", last, time_from=t(7, 30), time_to=t(11))
    # Not for the public: a school's, an office's, a group's own visit; too late; not planned.
    planned(ALASOMBO, "sekolah", "SMA N 1 Weru", TUESDAY)
    planned(PURON, "instansi", "Kantor Camat Bulu (ASN)", TUESDAY)
    planned(TEGALSARI, "desa", "Balai RW 03 Tegalsari", TUESDAY, origin="request")
    planned(TEGALSARI, "desa", "Balai Desa Tegalsari", MONDAY + dt.timedelta(days=14))
    planned(TEGALSARI, "desa", "Balai Desa Tegalsari lama", MONDAY - dt.timedelta(days=1))
    visit(PURON, "desa", "Balai Desa Puron", "cancelled", TUESDAY, [petugas])


def _schedule(client) -> str:
    with on_day(MONDAY):
        html = client.get("/publik/").content.decode()
    start = html.index('data-testid="public-visits"')
    return html[start : html.index("</section>", start)]


def test_the_next_two_weeks_planned_public_visits_by_day_with_their_hours(client, schedule):
    shown = _schedule(client)
    assert "Senin, 12 Mei 2025" in shown and "Selasa, 13 Mei 2025" in shown
    assert "Minggu, 25 Mei 2025" in shown  # the fourteenth day
    tuesday = shown[shown.index("Selasa, 13 Mei 2025") : shown.index("Rabu, 14 Mei 2025")]
    assert "Balai Desa Alasombo" in tuesday and "08.00–12.00" in tuesday
    assert "Desa Alasombo, Kecamatan Weru" in tuesday
    # Monday's visit starts at 13.00; its end was not given, so none is invented.
    monday = shown[shown.index("Senin, 12 Mei 2025") : shown.index("Selasa, 13 Mei 2025")]
    assert "Kantor Kecamatan Weru" in monday and "mulai 13.00" in monday and "13.00–" not in monday
    wednesday = shown[shown.index("Rabu, 14 Mei 2025") : shown.index("Minggu, 25 Mei 2025")]
    pasar = wednesday[wednesday.index("Pasar Puron") :].split("</li>")[0]
    assert 'class="hours"' not in pasar  # no hours given: none shown
    assert "07.30–11.00" in shown
    for hidden in (
        "SMA N 1 Weru",
        "Kantor Camat Bulu",
        "Balai RW 03",
        "Balai Desa Tegalsari",
        "Balai Desa Puron",
    ):
        assert hidden not in shown, hidden
    assert "Kunjungan ke sekolah, kantor, dan kelompok yang memintanya" in shown
    assert "KTP-el dan ponsel Android" in shown  # what to bring


def test_with_nothing_planned_the_page_says_so_and_offers_the_request_form(client, settings, db):
    settings.PUBLIC_PAGE = True
    shown = _schedule(client)
    assert 'data-testid="public-no-visits"' in shown
    assert 'href="/publik/minta-kunjungan/"' in shown


def test_the_planning_form_takes_the_hours_and_refuses_an_end_before_the_start(
    admin_client, small_kabupaten, petugas
):
    form = {
        "planned_on": "13/05/2025",
        "time_from": "08:00",
        "time_to": "12.00",  # typed by hand, Indonesian style
        "region": ALASOMBO,
        "place": "desa",
        "location": "Balai Desa Alasombo",
        "origin": "scheduled",
        "officers": [petugas.pk],
    }
    with on_day(MONDAY):
        response = admin_client.post("/jemput-bola/kunjungan/baru/", form)
        assert response.status_code == 302, response.content.decode()[-3000:]
        saved = Visit.objects.get(location="Balai Desa Alasombo")
        assert (saved.time_from, saved.time_to) == (dt.time(8), dt.time(12))
        wrong = admin_client.post(
            "/jemput-bola/kunjungan/baru/", {**form, "time_from": "12:00", "time_to": "08:00"}
        )
    assert wrong.status_code == 200
    assert "Jam selesai harus sesudah jam mulai." in wrong.content.decode()
    assert Visit.objects.count() == 1
