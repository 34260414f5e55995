"""The outreach API: a visit sent from a phone is stored once — sent twice, sent by two requests
at once, or as the result of a planned visit — bad input gets a message per field, and each role
and scope gets what it may."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kecamatan.models import AuditEvent, Visit, VisitFailure
from tests.outreach.outreach_data import D, officer, visit, visit_payload

URL = "/api/v1/outreach/visits/"


@pytest.fixture
def petugas_client(client, petugas):
    client.force_login(petugas)
    return client


def test_a_visit_is_created_with_its_failures_and_the_same_entry_again_changes_nothing(
    petugas_client,
):
    body = visit_payload()
    first = petugas_client.post(URL, body, content_type="application/json")
    assert first.status_code == 201
    visit_id = first.json()["id"]
    stored = Visit.objects.get(pk=visit_id)
    assert (stored.status, stored.held_on, stored.activated, stored.expected) == (
        "held",
        D(2025, 4, 9),
        42,
        60,
    )
    assert list(stored.officers.values_list("username", flat=True)) == ["petugas"]
    assert dict(stored.failures.values_list("reason_id", "people")) == {
        "tanpa_email": 5,
        "tanpa_hp": 2,
    }
    again = petugas_client.post(URL, body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == visit_id
    assert again.json()["outcome"] == "unchanged"
    assert Visit.objects.count() == 1 and VisitFailure.objects.count() == 2
    assert AuditEvent.objects.filter(action="visit_save").count() == 1


def test_the_result_of_a_planned_visit_lands_on_it_once(petugas_client, petugas):
    planned = visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "planned", D(2025, 4, 9), [petugas])
    body = visit_payload(client_id=str(planned.client_id))
    response = petugas_client.post(URL, body, content_type="application/json")
    assert (response.status_code, response.json()["id"], response.json()["outcome"]) == (
        200,
        planned.pk,
        "result",
    )
    planned.refresh_from_db()
    assert (planned.status, planned.activated) == ("held", 42)
    # A stale copy on a phone, with another count, does not overwrite what is stored.
    stale = petugas_client.post(URL, {**body, "activated": 99}, content_type="application/json")
    assert stale.json()["outcome"] == "unchanged"
    planned.refresh_from_db()
    assert planned.activated == 42 and VisitFailure.objects.count() == 2


def test_a_visits_hours_go_in_and_come_out_of_the_api(petugas_client):
    body = visit_payload(time_from="08:00", time_to="12:30")
    created = petugas_client.post(URL, body, content_type="application/json")
    assert created.status_code == 201
    listed = petugas_client.get(URL).json()
    rows = listed["visits"] if isinstance(listed, dict) else listed
    assert [(v["time_from"], v["time_to"]) for v in rows] == [("08:00", "12:30")]
    wrong = visit_payload(client_id=str(uuid.uuid4()), time_from="12:00", time_to="08:00")
    refused = petugas_client.post(URL, wrong, content_type="application/json")
    assert refused.status_code == 400 and "time_to" in refused.json()["errors"]


def test_bad_input_gets_a_message_per_field(petugas_client):
    response = petugas_client.post(
        URL,
        visit_payload(
            client_id="not-a-uuid",
            region="33.11.99.9999",
            place="kapal",
            failed={"alasan_baru": 1},
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"client_id", "region", "place", "failed"}
    assert "33.11.99.9999" in errors["region"] and "alasan_baru" in errors["failed"]
    assert all(isinstance(message, str) for message in errors.values())
    held_without_count = petugas_client.post(
        URL, visit_payload(activated=None), content_type="application/json"
    )
    assert held_without_count.status_code == 400
    assert "activated" in held_without_count.json()["errors"]
    future = petugas_client.post(
        URL, visit_payload(held_on="2999-01-01"), content_type="application/json"
    )
    assert "held_on" in future.json()["errors"]
    assert Visit.objects.count() == 0


def test_a_petugas_cannot_record_outside_its_kecamatan(petugas_client, admin_user):
    outside = petugas_client.post(
        URL, visit_payload(region="33.11.02.2001"), content_type="application/json"
    )
    assert outside.status_code == 400 and "region" in outside.json()["errors"]
    theirs = visit(
        "33.11.02.2001", "desa", "Balai Desa Puron", "planned", D(2025, 4, 9), [admin_user]
    )
    reused = petugas_client.post(
        URL, visit_payload(client_id=str(theirs.client_id)), content_type="application/json"
    )
    assert reused.status_code == 409
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_staf_read_visits_but_cannot_record_them(client, staf, petugas):
    visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", D(2025, 4, 9), [petugas], 42)
    client.force_login(staf)
    assert client.post(URL, visit_payload(), content_type="application/json").status_code == 403
    listed = client.get(URL, {"region": "33.11.01", "since": "2025-04-01", "status": "held"})
    assert listed.status_code == 200
    assert [v["location"] for v in listed.json()["visits"]] == ["SMA N 1 Weru"]
    assert client.get(URL, {"since": "kemarin"}).status_code == 400


def test_a_token_works_like_the_session(client, petugas):
    token = Token.objects.create(user=petugas)
    response = client.post(
        URL,
        visit_payload(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    assert Client().post(URL, visit_payload(), content_type="application/json").status_code == 403


def test_the_list_and_yield_follow_the_users_scope(client, petugas, admin_user):
    visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", D(2025, 4, 9), [petugas], 42)
    visit("33.11.02.2001", "desa", "Balai Desa Puron", "held", D(2025, 4, 9), [admin_user], 7)
    client.force_login(petugas)
    assert [v["region"] for v in client.get(URL).json()["visits"]] == ["33.11.01.2001"]
    assert client.get(URL, {"region": "33.11.02"}).status_code == 404
    body = client.get("/api/v1/outreach/yield/", {"since": "2025-04-01"}).json()
    assert body["region"] == "33.11.01"
    assert body["by_place"] == [
        {
            "place": "sekolah",
            "visits": 1,
            "activated": 42,
            "per_visit": 42.0,
            "officer_days": 1,
            "per_officer_day": 42.0,
            "failed": 0,
            "failed_retryable": 0,
            "retryable_share": None,
            "failed_by_reason": {},
        }
    ]
    client.force_login(admin_user)
    assert client.get("/api/v1/outreach/yield/").json()["totals"]["activated"] == 49


# --- at the same time ---------------------------------------------------------------------------


def _post_together(bodies: list[dict], user) -> list:
    """POST each body from its own thread (its own database connection), all at once."""
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def send(i):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            responses[i] = client.post(URL, bodies[i], content_type="application/json")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def concurrent(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL)")


def test_the_same_entry_sent_by_eight_requests_at_once_is_one_visit(concurrent, petugas):
    body = visit_payload()
    responses = _post_together([body] * 8, petugas)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Visit.objects.filter(client_id=body["client_id"]).count() == 1
    assert VisitFailure.objects.count() == 2


def test_a_planned_visits_result_sent_twice_at_once_is_recorded_once(concurrent, petugas):
    planned = visit("33.11.01.2001", "sekolah", "SMA N 1 Weru", "planned", D(2025, 4, 9), [petugas])
    body = visit_payload(client_id=str(planned.client_id))
    responses = _post_together([body] * 6, petugas)
    assert sorted(r.json()["outcome"] for r in responses) == ["result"] + ["unchanged"] * 5
    planned.refresh_from_db()
    assert (planned.status, planned.activated) == ("held", 42)
    assert VisitFailure.objects.filter(visit=planned).count() == 2


def test_the_phone_entry_page_posts_without_javascript_too(client, petugas):
    client.force_login(petugas)
    budi = officer("budi", "Budi", "Santoso")
    client_id = str(uuid.uuid4())
    form = {
        "client_id": client_id,
        "status": "held",
        "day": timezone.localdate().isoformat(),
        "region": "33.11.01.2002",
        "place": "pasar",
        "location": "Pasar Tegalsari",
        "officers": [petugas.pk, budi.pk],
        "activated": "12",
        "gagal_menolak": "3",
    }
    assert client.post("/jemput-bola/catat/", form).status_code == 302
    assert client.post("/jemput-bola/catat/", form).status_code == 302  # a double tap
    stored = Visit.objects.get()
    assert (str(stored.client_id), stored.activated, stored.officers.count()) == (client_id, 12, 2)
    assert dict(stored.failures.values_list("reason_id", "people")) == {"menolak": 3}


def test_a_petugas_for_the_whole_kabupaten_records_anywhere_in_it_and_nothing_more(
    client, small_kabupaten
):
    from tests.conftest import _persona

    roaming = _persona("petugas_kab", "Petugas")  # no region limit: the whole kabupaten
    client.force_login(roaming)
    for region in ("33.11.01.2001", "33.11.02.2001"):
        body = visit_payload(region=region, officers=["petugas_kab"])
        assert client.post(URL, body, content_type="application/json").status_code == 201
    listed = {v["region"] for v in client.get(URL).json()["visits"]}
    assert listed == {"33.11.01.2001", "33.11.02.2001"}
    assert client.get("/api/v1/outreach/yield/").json()["region"] == "33.11"
    assert client.get("/").status_code == 200
    for admin_only in ("/unggah/", "/pengguna/", "/audit/"):
        assert client.get(admin_only).status_code == 403, admin_only
