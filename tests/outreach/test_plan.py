"""The plan: evidence-weighted yields, the cap by people still there, the draft schedule within
the team's capacity, the forecast to the deadline, what-ifs and accepting the draft.

On the small kabupaten (conftest.py) with the hand-made visits of outreach_data.py: petugas
(limited to Weru) and budi (anywhere) are the active Petugas; the data run to 10 April 2025.
"""

import datetime as dt
from collections import Counter

import pytest
import time_machine

from kecamatan.models import Holiday, KtpHolderCount, OfficerAbsence, Region, Visit
from kecamatan.outreach.expected import YieldModel
from kecamatan.outreach.plan import outreach_plan
from kecamatan.progress.runs import progress_recompute
from tests.outreach.outreach_data import D, officer, outreach_visits_create, visit

APRIL_10 = D(2025, 4, 10)
ALASOMBO, TEGALSARI, PURON = "33.11.01.2001", "33.11.01.2002", "33.11.02.2001"


@pytest.fixture
def visits(small_kabupaten, petugas, admin_user):
    progress_recompute(as_of=APRIL_10)
    return outreach_visits_create(petugas=petugas, admin=admin_user)


def _kabupaten():
    return Region.objects.get(code="33.11")


def _plan(**kwargs):
    return outreach_plan(region=_kabupaten(), as_of=APRIL_10, cached=False, **kwargs)


def _pupils(region: str, holders: int) -> None:
    KtpHolderCount.objects.create(
        region_id=region, segment_id="pelajar", valid_from=D(2023, 1, 1), holders=holders
    )


# --- the yield follows the evidence ---------------------------------------------------------------


def test_recent_visits_outweigh_old_ones():
    """Old school visits yielded 40, recent ones 5: a school visit is expected well under 20."""

    def row(days_ago: int, activated: int) -> dict:
        return {
            "held_on": APRIL_10 - dt.timedelta(days=days_ago),
            "activated": activated,
            "place": "sekolah",
            "desa": ALASOMBO,
            "kecamatan": "33.11.01",
            "team": 2,
        }

    rows = [row(300, 40), row(290, 40), row(280, 40), row(20, 5), row(10, 5), row(5, 5)]
    estimate = YieldModel(rows, APRIL_10).estimate(ALASOMBO, "33.11.01", "sekolah")
    # Three visits of 40 at ~300 days weigh 2 × 0.5^5 ≈ 0.09 in all against ~2.7 for the recent.
    assert 5 <= estimate.expected < 8
    # An unweighted mean would say 22,5.
    assert sum(r["activated"] for r in rows) / len(rows) == 22.5
    assert estimate.low <= estimate.expected <= estimate.high


def test_a_desa_with_few_visits_is_pulled_toward_its_kecamatan():
    def row(desa: str, activated: int) -> dict:
        return {
            "held_on": APRIL_10,
            "activated": activated,
            "place": "pasar",
            "desa": desa,
            "kecamatan": "33.11.01",
            "team": 1,
        }

    # Tegalsari's one market visit gave 60; Weru's other markets 10 each, five times.
    model = YieldModel([row(TEGALSARI, 60)] + [row(ALASOMBO, 10)] * 5, APRIL_10)
    tegalsari = model.estimate(TEGALSARI, "33.11.01", "pasar")
    assert 10 < tegalsari.expected < 60
    assert tegalsari.where == "kecamatan"
    # A place type never tried in the kabupaten has no evidence: not planned.
    assert model.estimate(TEGALSARI, "33.11.01", "sekolah") is None


# --- the draft schedule ---------------------------------------------------------------------------


def test_a_visit_is_capped_by_the_people_still_there(visits):
    """The small kabupaten has no pupils 17+ on record: a school visit can reach only the
    retryable failures waiting there (Alasombo: 3 from V2's face match)."""
    plan = _plan()
    schools = [line for line in plan.draft if line.place == "sekolah"]
    assert sum(line.expected for line in schools if line.desa.code == ALASOMBO) <= 3
    assert all(line.desa.code == ALASOMBO for line in schools)
    # With 40 pupils there, the school visits together never promise more than 40 + 3.
    _pupils(ALASOMBO, 40)
    plan = _plan(weeks=13)
    schools = [line for line in plan.draft if line.place == "sekolah"]
    assert schools and sum(line.expected for line in schools) <= 43


def test_no_officer_is_booked_twice_a_day_nor_on_a_day_off(visits, petugas):
    Holiday.objects.create(day=D(2025, 4, 18), name="Wafat Isa Almasih")
    OfficerAbsence.objects.create(officer=petugas, start=D(2025, 4, 21), end=D(2025, 4, 22))
    plan = _plan()
    booked = Counter((o.username, line.day) for line in plan.draft for o in line.officers)
    assert booked and max(booked.values()) == 1
    # V5, planned for 14 April with budi, stands as it is and books budi that day.
    fixed = [line for line in plan.draft if line.fixed]
    assert [(line.day, line.desa.code) for line in fixed] == [(D(2025, 4, 14), PURON)]
    assert booked[("budi", D(2025, 4, 14))] == 1
    days = {line.day for line in plan.draft}
    assert D(2025, 4, 18) not in days and not days & {D(2025, 4, 12), D(2025, 4, 13)}
    assert ("petugas", D(2025, 4, 21)) not in booked and ("petugas", D(2025, 4, 22)) not in booked
    # The officer limited to Weru goes only to Weru's desa.
    for line in plan.draft:
        if "petugas" in [o.username for o in line.officers]:
            assert line.desa.code.startswith("33.11.01.")


def test_each_line_says_why_and_its_range_holds_its_estimate(visits):
    plan = _plan()
    assert plan.draft
    for line in plan.draft:
        assert line.low <= line.expected <= line.high
        assert "per kegiatan" in line.why
    puron = next(line for line in plan.draft if line.desa.code == PURON and not line.fixed)
    assert puron.why.startswith("kekurangan ")


# --- the forecast ---------------------------------------------------------------------------------


def test_more_officers_never_forecast_fewer_activations(visits):
    forecasts = [_plan(officers=n).forecast for n in (1, 2, 3, 5, 8)]
    activated = [f.activated for f in forecasts]
    assert activated == sorted(activated) and activated[-1] > activated[0]
    for f in forecasts:
        assert f.low <= f.activated <= f.high


def test_the_forecast_adds_the_plan_to_the_organic_trend(visits):
    f = _plan().forecast
    assert f.deadline == D(2025, 12, 31) and f.days == (D(2025, 12, 31) - APRIL_10).days
    assert f.activated == f.activated_now + f.organic + f.plan
    # The small kabupaten (conftest.py): 285 activated of 1.200 + 100 + 500 + 400 + 100 holders
    # by 10 April; 30% of 2.300 is 690.
    assert (f.activated_now, f.denominator_people, f.target_people) == (285, 2300, 690)


def test_saturdays_add_visits(visits):
    five, six = _plan(officers=2), _plan(officers=2, days_per_week=6)
    assert len(six.capacity.days) > len(five.capacity.days)
    assert six.capacity.officer_days > five.capacity.officer_days


# --- the API --------------------------------------------------------------------------------------


def test_the_plan_api(staf_client, visits):
    body = staf_client.get("/api/v1/outreach/plan/?weeks=2").json()
    assert body["region"] == "33.11" and body["from"] == "2025-04-11" and body["weeks"] == 2
    assert body["expected_total"] == sum(v["expected"] for v in body["visits"])
    assert body["capacity"]["officers"] == 2 and body["capacity"]["visits"] == len(body["visits"])
    for v in body["visits"]:
        assert v["expected_low"] <= v["expected"] <= v["expected_high"]
    forecast = body["forecast"]
    assert forecast["low"] <= forecast["activated"] <= forecast["high"]
    assert forecast["deadline"] == "2025-12-31"
    # "As if we had 4 officers": the two real ones, then petugas-3 and petugas-4.
    what_if = staf_client.get("/api/v1/outreach/plan/?weeks=2&officers=4").json()
    names = {name for v in what_if["visits"] for name in v["officers"]}
    assert names <= {"budi", "petugas", "petugas-3", "petugas-4"} and "petugas-4" in names
    assert what_if["forecast"]["activated"] >= forecast["activated"]
    assert staf_client.get("/api/v1/outreach/plan/?weeks=0").status_code == 400
    assert staf_client.get("/api/v1/outreach/plan/?as_of=2030-01-01").status_code == 400


def test_a_plan_as_of_an_earlier_day_reads_only_what_was_known_then(staf_client, visits):
    """On 5 March only V1 (3 March, 40) had been held at a school: V2's 20 was not yet known."""
    body = staf_client.get("/api/v1/outreach/plan/?as_of=2025-03-05&weeks=1").json()
    assert body["from"] == "2025-03-06"
    _pupils(ALASOMBO, 500)
    model_then = outreach_plan(region=_kabupaten(), as_of=D(2025, 3, 5), cached=False)
    school = [line for line in model_then.draft if line.place == "sekolah"]
    # The estimate is V1's 40 shrunk toward the kabupaten's school figure, which is V1 too.
    assert school and school[0].reason.estimate.expected == pytest.approx(40)


# --- accepting the draft --------------------------------------------------------------------------


def test_accepting_the_draft_twice_adds_its_visits_once(admin_client, visits, petugas):
    planned = Visit.objects.filter(status="planned").count()
    plan = _plan()
    new = len(plan.new_lines)
    assert new > 0
    response = admin_client.post("/jemput-bola/rencana/")
    assert response.status_code == 302
    assert Visit.objects.filter(status="planned").count() == planned + new
    admin_client.post("/jemput-bola/rencana/")
    assert Visit.objects.filter(status="planned").count() == planned + new
    line = plan.new_lines[0]
    accepted = Visit.objects.get(planned_on=line.day, region_id=line.desa.code, place=line.place)
    assert accepted.expected == line.expected
    assert sorted(o.username for o in accepted.officers.all()) == sorted(
        o.username for o in line.officers
    )


def test_an_accepted_visit_is_on_its_officers_phone_page_that_day(admin_client, client, visits):
    admin_client.post("/jemput-bola/rencana/")
    accepted = Visit.objects.filter(note__startswith="Dari rencana otomatis").order_by("planned_on")
    first = accepted.first()
    who = first.officers.first()
    client.force_login(who)
    with time_machine.travel(dt.datetime(*first.planned_on.timetuple()[:3], 8), tick=False):
        page = client.get("/jemput-bola/catat/").content.decode()
    assert first.location in page


def test_a_what_if_plan_cannot_be_accepted(admin_client, visits):
    assert admin_client.post("/jemput-bola/rencana/?petugas=9").status_code == 403


def test_staf_reads_the_plan_but_cannot_accept_it(staf_client, visits):
    page = staf_client.get("/jemput-bola/rencana/").content.decode()
    assert 'data-testid="forecast"' in page and 'data-testid="accept"' not in page
    assert staf_client.post("/jemput-bola/rencana/").status_code == 403


def test_the_draft_downloads(staf_client, visits):
    response = staf_client.get("/jemput-bola/rencana/unduh.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Tanggal,Kode wilayah,Desa/Kelurahan")
    assert len(lines) == 1 + len(_plan().draft)


def test_a_new_officer_changes_the_plan_at_once(visits):
    before = _plan()
    officer("sari", "Sari")
    after = outreach_plan(region=_kabupaten(), as_of=APRIL_10)
    assert len(after.capacity.officers) == len(before.capacity.officers) + 1


def test_visits_held_before_the_plan_are_its_evidence(visits):
    visit(TEGALSARI, "pasar", "Pasar Tegalsari", "held", D(2025, 4, 9), [], 30)
    plan = _plan()
    assert plan.forecast is not None


def test_the_dashboard_shows_the_plans_forecast_beside_the_straight_line(staf_client, visits):
    from kecamatan.outreach.tasks import plans_warm_task

    # Before any plan is made for these data, the dashboard has only its straight line.
    page = staf_client.get("/?urut=persen").content.decode()
    assert 'data-testid="plan-forecast"' not in page
    assert plans_warm_task() == 3  # the kabupaten and its two kecamatan
    page = staf_client.get("/").content.decode()
    sentence = page.split('data-testid="plan-forecast">', 1)[1].split("<a ", 1)[0]
    assert sentence.startswith("Dengan 2 petugas (Senin–Jumat)")
    assert "Perkiraan dengan rencana jemput bola" in page  # the fan in the trend chart
    assert "Proyeksi dengan laju 30 hari terakhir" in page  # the straight line stays


def test_an_admin_marks_a_holiday_and_an_officer_away_and_the_plan_follows(admin_client, visits):
    page = admin_client.post(
        "/jemput-bola/libur/", {"kind": "holiday", "day": "18/04/2025", "name": "Wafat Isa Almasih"}
    )
    assert page.status_code == 302
    admin_client.post(
        "/jemput-bola/libur/",
        {
            "kind": "absence",
            "officer": _user("budi").pk,
            "start": "14/04/2025",
            "end": "16/04/2025",
        },
    )
    shown = admin_client.get("/jemput-bola/libur/").content.decode()
    assert "Wafat Isa Almasih" in shown and "18 April 2025" in shown
    plan = outreach_plan(region=_kabupaten(), as_of=APRIL_10)  # the cached plan is renewed
    booked = {
        (o.username, line.day) for line in plan.draft for o in line.officers if not line.fixed
    }
    assert not {day for _name, day in booked} & {D(2025, 4, 18)}
    assert not {("budi", D(2025, 4, 15)), ("budi", D(2025, 4, 16))} & booked
    # An end before the start is refused, next to the field.
    refused = admin_client.post(
        "/jemput-bola/libur/",
        {
            "kind": "absence",
            "officer": _user("budi").pk,
            "start": "16/04/2025",
            "end": "14/04/2025",
        },
    )
    assert "Tanggal akhir harus sama dengan atau sesudah tanggal awal." in refused.content.decode()


def test_only_a_whole_kabupaten_admin_keeps_the_holidays(staf_client, visits):
    assert staf_client.get("/jemput-bola/libur/").status_code == 403


def _user(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)
