"""The privacy boundary for free text (privacy, third round): a NIK typed into a visit, a form or
a query string, however it is grouped or prefixed, is refused where a form can say so and masked
everywhere else — pages, the API, logs (every field of a record) and the debug page. Bodies are
bounded: a long note, a huge or deeply nested JSON body is a 400, never a 500."""

import json
import logging
import uuid

import pytest
from django.test import RequestFactory
from django.utils import timezone

from ikd_dashboard.errors import NikMaskingExceptionReporter
from ikd_dashboard.requestlog import JsonFormatter
from kecamatan.models import Visit
from kecamatan.nik import NoNikInTextMixin, nik_in_text, nik_mask_text
from tests.outreach.outreach_data import visit_payload

NIK = "3311011509898402"
# The same NIK as people write it into free text.
WRITTEN = [
    f"Rumah warga {NIK}",
    "Rumah warga 3311-0115-0989-8402",
    "Rumah warga 3311 0115 0989 8402",
    f"NIK.{NIK}",
    f"Sekolah No.{NIK}",
    f"nik:{NIK}!",
    "Rumah warga 3311/0115/0989/8402",  # found by the hostile pass after the first fix
    "Rumah warga 3311_0115_0989_8402",
]
URL = "/api/v1/outreach/visits/"
REFUSAL = "Jangan menulis NIK di sini"


@pytest.fixture
def petugas_client(client, petugas):
    client.force_login(petugas)
    return client


@pytest.mark.parametrize("field", ["location", "note", "institution", "letter_number"])
@pytest.mark.parametrize("text", WRITTEN)
def test_the_api_refuses_a_nik_in_any_free_text_field_of_a_visit(petugas_client, field, text):
    changes = {field: text}
    if field == "letter_number":
        changes["origin"] = "request"
    response = petugas_client.post(URL, visit_payload(**changes), content_type="application/json")
    assert response.status_code == 400
    assert REFUSAL in response.json()["errors"][field]
    assert NIK not in response.content.decode()
    assert not Visit.objects.exists()


def test_the_phone_entry_form_refuses_a_nik_in_the_location_and_stores_nothing(
    petugas_client, petugas
):
    form = {
        "client_id": str(uuid.uuid4()),
        "status": "held",
        "day": timezone.localdate().isoformat(),
        "region": "33.11.01.2002",
        "place": "pasar",
        "location": "Pasar 3311-0115-0989-8402",
        "officers": [petugas.pk],
        "activated": "3",
    }
    response = petugas_client.post("/jemput-bola/catat/", form)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Visit.objects.exists()


def test_the_visit_form_refuses_a_nik_in_the_note(admin_client, small_kabupaten, petugas):
    response = admin_client.post(
        "/jemput-bola/kunjungan/baru/",
        {
            "status": "planned",
            "planned_on": "2025-04-14",
            "region": "33.11.01.2002",
            "place": "sekolah",
            "location": "SMP N 1 Weru",
            "origin": "scheduled",
            "officers": [petugas.pk],
            "note": f"Hubungi ortu NIK.{NIK}",
        },
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Visit.objects.exists()


def test_every_text_form_of_the_office_refuses_a_nik_but_not_a_password():
    from django import forms

    class Sample(NoNikInTextMixin, forms.Form):
        source = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)
        count = forms.IntegerField()

    form = Sample({"source": f"Surat No.{NIK}", "password": NIK, "count": "3"})
    assert not form.is_valid()
    assert list(form.errors) == ["source"]
    assert Sample({"source": "Surat 470/1234/401.302/2025", "password": NIK, "count": 3}).is_valid()


def test_what_is_not_a_nik_stays_readable():
    kept = [
        "33.11.01.2001",  # a desa code
        "0812-3456-7890",  # a phone number
        "470/1234/401.302/2025",  # a letter number
        "succeeded in 0.0368305889999192s",  # a duration in a worker's log
        "1.086.024 orang",
        "2026-12-07 21:09:25,996",
        "470/123/401.302/2025",  # sixteen digits with slashes, but no well-formed NIK
    ]
    for text in kept:
        assert not nik_in_text(text), text
        assert nik_mask_text(text) == text, text
    for text in WRITTEN + [f"daftar.{NIK}.csv", f"/x/?x=a.{NIK}"]:
        assert nik_in_text(text), text
        assert NIK not in nik_mask_text(text).replace(" ", "").replace("-", ""), text


def test_a_long_note_a_huge_body_and_deep_nesting_are_400_not_500(petugas_client):
    too_long = petugas_client.post(
        URL, visit_payload(note="x" * 1001), content_type="application/json"
    )
    assert too_long.status_code == 400 and "1000" in too_long.json()["errors"]["note"]
    megabyte = petugas_client.post(
        URL, visit_payload(note="x" * 1_000_000), content_type="application/json"
    )
    assert megabyte.status_code == 400 and "terlalu besar" in megabyte.json()["error"]
    for depth in (100_000, 20_000):  # the body (too big by itself), and one under 64 KB
        nested = "[" * depth + "]" * depth
        response = petugas_client.post(URL, nested, content_type="application/json")
        assert response.status_code == 400, depth
    assert "bersarang" in response.json()["error"]
    five_deep = {"a": {"b": {"c": {"d": {"e": 1}}}}}
    response = petugas_client.post(
        URL, visit_payload(failed=five_deep), content_type="application/json"
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_every_field_of_a_json_log_record_is_masked(staf_client, small_kabupaten, caplog):
    encoded = "".join(f"%{ord(c):02X}" for c in NIK)  # as a query string may carry it
    with caplog.at_level(logging.INFO):
        response = staf_client.get(f"/api/v1/progress/?region={NIK}")
        staf_client.get(f"/api/v1/progress/?region={encoded}")
    assert response.status_code == 404
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"request"' in line for line in lines)  # django.request's record: the request itself
    for line in lines:
        json.loads(line)
        assert NIK not in line and encoded not in line, line


def test_the_debug_page_masks_a_nik_after_a_dot_in_the_query_string(db):
    request = RequestFactory().get(f"/wilayah/x/?x=a.{NIK}")
    try:
        raise ValueError("boom")
    except ValueError as error:
        reporter = NikMaskingExceptionReporter(request, type(error), error, error.__traceback__)
        html, text = reporter.get_traceback_html(), reporter.get_traceback_text()
    assert "a.3311**********02" in html
    assert NIK not in html and NIK not in text
