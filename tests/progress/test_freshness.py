"""Stale data raise an alarm: a banner on every page, the data's age in /health/, and one email a
day to the Admins. The small kabupaten's data end on 10 April 2025 (DATA_STALE_DAYS = 7)."""

import datetime as dt

import pytest
import time_machine

from kecamatan.progress.freshness import data_freshness, data_stale_alert
from kecamatan.progress.runs import progress_recompute, recompute_run

DATA_DATE = dt.date(2025, 4, 10)  # the last activation of the hand-made data (conftest)


@pytest.fixture
def recomputed(small_kabupaten):
    """The pages' figures as of the data date: the date the banner speaks of."""
    progress_recompute(as_of=DATA_DATE)
    return small_kabupaten


def _at(day: dt.date):
    """Noon in Jakarta on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 5, 0, tzinfo=dt.UTC))


def test_data_are_stale_the_eighth_day_after_the_data_date(recomputed):
    assert data_freshness(today=DATA_DATE + dt.timedelta(days=7)).stale is False
    late = data_freshness(today=DATA_DATE + dt.timedelta(days=8))
    assert (late.data_date, late.age_days, late.stale) == (DATA_DATE, 8, True)


def test_every_page_says_so_at_the_top_and_tells_an_admin_where_to_upload(
    recomputed, client, staf, admin_user
):
    client.force_login(staf)
    with _at(DATA_DATE + dt.timedelta(days=7)):
        assert 'data-testid="stale-data"' not in client.get("/").content.decode()
    with _at(dt.date(2026, 12, 8)):  # 607 days later
        client.force_login(staf)
        for url in ("/", "/wilayah/33.11.01/", "/jemput-bola/"):
            html = client.get(url, follow=True).content.decode()
            assert "Data terakhir 10 April 2025 — 607 hari yang lalu." in html, url
            assert "Minta Admin mengunggah data terbaru." in html
        client.force_login(admin_user)
        html = client.get("/unggah/").content.decode()
    assert "607 hari yang lalu" in html and 'href="/unggah/">Unggah data terbaru</a>' in html


def test_no_figures_yet_is_neither_stale_nor_fresh(small_kabupaten):
    assert data_freshness(today=dt.date(2026, 12, 8)).stale is False  # nothing recomputed


def test_health_stays_ok_and_reports_the_data_age(small_kabupaten, client):
    with _at(dt.date(2026, 12, 8)):
        recompute_run(kind="nightly", as_of=DATA_DATE)
        response = client.get("/health/")
    assert response.status_code == 200  # liveness: old exports need no restart
    body = response.json()
    assert (body["data_date"], body["data_age_days"], body["data"]) == ("2025-04-10", 607, "stale")
    with _at(DATA_DATE + dt.timedelta(days=2)):
        recompute_run(kind="nightly", as_of=DATA_DATE)
        body = client.get("/health/").json()
    assert (body["data_age_days"], body["data"]) == (2, "fresh")


def test_the_admins_get_one_email_a_day_at_most(recomputed, admin_user, staf, mailoutbox):
    admin_user.email = "admin@dukcapil.example.go.id"
    admin_user.save()
    staf.email = "staf@dukcapil.example.go.id"
    staf.save()
    day = dt.date(2025, 4, 20)
    assert data_stale_alert(today=DATA_DATE + dt.timedelta(days=7)) == 0  # not yet stale
    assert data_stale_alert(today=day) == 1
    assert data_stale_alert(today=day) == 0  # the same day again: nothing more
    assert data_stale_alert(today=day + dt.timedelta(days=1)) == 1
    assert [m.to for m in mailoutbox] == [["admin@dukcapil.example.go.id"]] * 2
    assert "data terakhir 10 April 2025" in mailoutbox[0].subject
    assert "10 hari yang lalu" in mailoutbox[0].body
