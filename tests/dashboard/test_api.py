"""GET /api/v1/progress/: the shape other offices rely on, and the same numbers as the engine."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from kecamatan.progress.runs import progress_recompute

FIGURES = {
    "holders",
    "activated",
    "percent",
    "target_percent",
    "target_deadline",
    "target_people",
    "gap_people",
    "pace_30d_per_day",
    "needed_per_day",
    "needed_per_month",
    "projected_date",
    "projection",
    "milestone_people",
    "denominator",
}


@pytest.fixture
def recomputed(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return small_kabupaten


def test_it_returns_the_kabupaten_with_hand_computed_figures(staf_client, recomputed):
    response = staf_client.get("/api/v1/progress/", {"region": "33.11", "as_of": "2025-04-09"})
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "33.11", "name": "Sukoharjo", "level": "kabupaten"}
    assert body["as_of"] == "2025-04-09"
    assert body["computed_at"].endswith("+07:00")
    assert body["totals"] == {
        "holders": 2300,
        "activated": 280,
        "percent": 12.17,
        "target_percent": 30.0,
        "target_deadline": "2025-12-31",
        "target_people": 690,
        "gap_people": 410,
        "pace_30d_per_day": 1.67,
        "needed_per_day": 1.54,
        "needed_per_month": 46.91,
        "projected_date": "2025-12-11",
        "projection": "on_track",
        # The straight line from 230 (31 Dec 2024) to 690: day 99 of 365, 230 + 460 × 99 / 365.
        "milestone_people": 354,
        "denominator": "perekaman",  # holders and percent are of KTP-el recorded
    }
    assert [c["code"] for c in body["children"]] == ["33.11.01", "33.11.02"]
    assert set(body["children"][0]) == {"code", "name", "level"} | FIGURES
    assert body["children"][0]["level"] == "kecamatan"
    assert [s["code"] for s in body["segments"]][:2] == ["asn", "pppk"]
    asn = body["segments"][0]
    assert (asn["name"], asn["activated"], asn["percent"]) == ("ASN", 170, 85.0)


def test_it_defaults_to_the_kabupaten_and_the_latest_date(staf_client, recomputed):
    progress_recompute(as_of=dt.date(2024, 9, 30))  # an older date must not win
    body = staf_client.get("/api/v1/progress/").json()
    assert (body["region"]["code"], body["as_of"]) == ("33.11", "2025-04-09")


def test_a_desa_has_no_children(staf_client, recomputed):
    body = staf_client.get("/api/v1/progress/", {"region": "33.11.01.2001"}).json()
    assert body["region"]["level"] == "desa"
    assert body["children"] == []
    assert body["totals"]["activated"] == 160  # 80 + 50 + 30


def test_a_date_never_recomputed_gives_the_figures_of_that_date(staf_client, recomputed):
    body = staf_client.get("/api/v1/progress/", {"as_of": "2024-09-30"}).json()
    assert body["totals"]["activated"] == 220
    assert body["totals"]["target_percent"] == 25.0
    assert body["totals"]["projected_date"] is None


def test_an_unknown_region_is_a_404_with_a_json_error(staf_client, recomputed):
    response = staf_client.get("/api/v1/progress/", {"region": "99.99"})
    assert response.status_code == 404
    assert "99.99" in response.json()["error"]


@pytest.mark.parametrize("bad", ["2025-13-01", "9 April 2025", "kemarin"])
def test_a_bad_date_is_a_400_with_a_json_error(staf_client, recomputed, bad):
    response = staf_client.get("/api/v1/progress/", {"as_of": bad})
    assert response.status_code == 400
    assert bad in response.json()["error"]


def test_anonymous_callers_are_refused(client, recomputed):
    assert client.get("/api/v1/progress/").status_code in (401, 403)


def test_a_token_works_without_a_session(client, staf, recomputed):
    token = Token.objects.create(user=staf)
    response = client.get("/api/v1/progress/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["totals"]["activated"] == 280


def test_a_region_code_without_dots_is_the_same_region(staf_client, recomputed):
    with_dots = staf_client.get("/api/v1/progress/", {"region": "33.11.01"}).json()
    without = staf_client.get("/api/v1/progress/", {"region": "331101"})
    assert without.status_code == 200
    assert without.json()["region"]["code"] == "33.11.01"
    assert without.json()["totals"] == with_dots["totals"]


def test_a_date_after_the_data_is_refused_like_the_pages_refuse_it(staf_client, recomputed):
    response = staf_client.get("/api/v1/progress/", {"as_of": "2025-04-10"})
    assert response.status_code == 400
    assert response.json()["error"] == (
        "Data baru tersedia sampai 9 April 2025; pilih tanggal itu atau sebelumnya."
    )
    assert staf_client.get("/api/v1/progress/", {"as_of": "2025-04-09"}).status_code == 200


def test_errors_speak_the_requests_language(client, staf, recomputed):
    bad_token = {"HTTP_AUTHORIZATION": "Token 0123456789abcdef0123456789abcdef01234567"}
    indonesian = client.get("/api/v1/progress/", **bad_token)
    assert indonesian.status_code in (401, 403)
    assert indonesian.json()["error"] == "Token tidak valid."
    english = client.get("/api/v1/progress/", HTTP_ACCEPT_LANGUAGE="en", **bad_token)
    assert english.json()["error"] == "Invalid token."
    token = Token.objects.create(user=staf)
    unknown = client.get(
        "/api/v1/progress/",
        {"region": "99.99"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unknown.json()["error"] == "Region '99.99' not found."


def test_the_projection_is_named_in_the_pages_words(staf_client, recomputed):
    totals = staf_client.get("/api/v1/progress/").json()["totals"]
    # 280 people, 410 to go at 30 + 20 people in the last 30 days: 11 December 2025, on track.
    assert totals["projection"] == "on_track"
    assert totals["projected_date"] == "2025-12-11"
