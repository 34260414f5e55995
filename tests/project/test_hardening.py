"""The smaller gaps: nothing signed-in stays in a browser cache, API tokens end, a refusal is a
page in Indonesian (and one log line), and load_boundaries refuses bad GeoJSON and loads nothing."""

import datetime as dt
import json
import logging

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kecamatan.models import RegionBoundary
from kecamatan.progress.runs import progress_recompute


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/wilayah/33.11.01/",
        "/wilayah/33.11/unduh/wilayah.csv",
        "/api/v1/progress/",
        "/laporan/2025/4/unduh.xlsx",
        "/akun/sandi/",
    ],
)
def test_signed_in_answers_and_downloads_are_never_stored_by_the_browser(
    staf_client, small_kabupaten, path
):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    response = staf_client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}


def _api(client, token):
    return client.get("/api/v1/progress/", HTTP_AUTHORIZATION=f"Token {token.key}")


def test_an_api_token_works_until_it_expires(client, staf, small_kabupaten, settings):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    token = Token.objects.create(user=staf)
    assert _api(client, token).status_code == 200
    too_old = timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS, minutes=1)
    Token.objects.filter(pk=token.pk).update(created=too_old)
    response = _api(client, token)
    assert response.status_code in (401, 403) and "kedaluwarsa" in response.json()["detail"]


def test_a_password_change_or_deactivation_ends_the_accounts_tokens(client, staf, small_kabupaten):
    token = Token.objects.create(user=staf)
    staf.set_password("Sandi-Baru-Yang-Panjang-2025")
    staf.save(update_fields=["password"])
    assert not Token.objects.filter(user=staf).exists()
    Token.objects.create(user=staf)
    staf.is_active = False
    staf.save(update_fields=["is_active"])
    assert not Token.objects.filter(user=staf).exists()
    assert _api(client, token).status_code in (401, 403)
    staf.first_name = "Sri"
    staf.is_active = True
    staf.save()
    Token.objects.create(user=staf)
    staf.save(update_fields=["first_name"])  # nothing that matters changed: the token lives
    assert Token.objects.filter(user=staf).exists()


def test_a_refusal_is_a_styled_page_in_indonesian_and_one_quiet_log_line(client, staf, caplog):
    client.force_login(staf)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/unggah/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in html and 'class="topbar"' in html and "Kembali ke dasbor" in html
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1 and refusals[0].exc_info is None


# --- load_boundaries ------------------------------------------------------------------------

SQUARE = [[[110.8, -7.7], [110.9, -7.7], [110.9, -7.6], [110.8, -7.6], [110.8, -7.7]]]


def _collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code="33.11.01", coordinates=SQUARE, kind="Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": {"kode": code},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


BAD_GEOJSON = {
    "not json": "{this is not json",
    "features not a list": json.dumps({"type": "FeatureCollection", "features": 5}),
    "feature not an object": json.dumps(_collection(_feature(), [1, 2, 3])),
    "properties not an object": json.dumps(_collection({**_feature(), "properties": "kode"})),
    "coordinates malformed": json.dumps(_collection(_feature(coordinates=[[[1, 2], [3]]]))),
    "coordinates not numbers": json.dumps(_collection(_feature(coordinates=[[["a", "b"]] * 4]))),
    "extreme coordinates": json.dumps(
        _collection(
            _feature(coordinates=[[[1e308, 1e308], [-1e308, 1e308], [0, -1e308], [1e308, 1e308]]])
        )
    ),
    "not a number": '{"type": "FeatureCollection", "features": [{"type": "Feature", '
    '"properties": {"kode": "33.11.01"}, "geometry": {"type": "Polygon", "coordinates": '
    "[[[NaN, 1], [2, 2], [3, 1], [NaN, 1]]]}}]}",
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "a point": json.dumps(_collection(_feature(coordinates=[110.8, -7.7], kind="Point"))),
}


@pytest.mark.parametrize("content", BAD_GEOJSON.values(), ids=BAD_GEOJSON.keys())
def test_load_boundaries_refuses_bad_geojson_with_a_message_and_loads_nothing(
    small_kabupaten, tmp_path, content
):
    good = _feature(code="33.11.02")
    path = tmp_path / "batas.geojson"
    try:
        data = json.loads(content)
        if isinstance(data, dict) and isinstance(data.get("features"), list):
            data["features"].insert(0, good)  # a good feature first: it must not be loaded
        path.write_text(json.dumps(data))
    except (ValueError, RecursionError):
        path.write_text(content)
    with pytest.raises(CommandError, match="Tidak ada yang dimuat"):
        call_command("load_boundaries", str(path))
    assert not RegionBoundary.objects.exists()


def test_a_missing_page_is_a_styled_page_in_indonesian(staf_client, settings, small_kabupaten):
    settings.DEBUG = False
    response = staf_client.get("/wilayah/99.99/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html and 'class="topbar"' in html


def test_the_debug_page_and_the_logs_never_show_a_nik(rf, caplog):
    import sys

    from django.views.debug import technical_500_response

    nik = "3311014101900101"
    request = rf.get("/unggah/", {"q": nik})
    try:
        row = [nik, "2025-04-08"]  # a local variable, as the importer has them
        raise ValueError(f"invalid literal for int(): {row[0]!r}")
    except ValueError:
        html = technical_500_response(request, *sys.exc_info()).content.decode()
        logging.getLogger("kecamatan.uploads").exception("import failed on %s", nik)
    assert nik not in html and "3311**********01" in html
    assert nik not in caplog.text and "3311**********01" in caplog.text


def _forms_with_text(admin_user):
    """Every form an Admin or officer types text into, built as its view builds it."""
    from kecamatan.accounts.forms import UserForm
    from kecamatan.institutions.forms import InstitutionForm, InstitutionTargetForm
    from kecamatan.outreach.forms import EntryForm, ReasonForm, VisitForm
    from kecamatan.progress.forms import OfficialFigureForm, TargetForm

    today = dt.date(2025, 4, 9)
    return [
        (UserForm, {}),
        (InstitutionForm, {"user": admin_user}),
        (InstitutionTargetForm, {}),
        (EntryForm, {"user": admin_user, "today": today}),
        (ReasonForm, {}),
        (VisitForm, {"user": admin_user}),
        (OfficialFigureForm, {}),
        (TargetForm, {}),
    ]


def test_text_longer_than_its_column_is_refused_by_the_form_on_any_database(
    admin_user, small_kabupaten
):
    # SQLite (the embedded default) would store it as is; PostgreSQL would raise a 500.
    checked = []
    for form_class, kwargs in _forms_with_text(admin_user):
        model = getattr(getattr(form_class, "Meta", None), "model", None)
        for name, field in form_class(**kwargs).fields.items():
            if not isinstance(field, forms.CharField):
                continue  # choices, numbers, dates and regions are bounded otherwise
            limit = field.max_length
            if model is not None and name in {f.name for f in model._meta.fields}:
                column = model._meta.get_field(name).max_length
                if column is not None:
                    assert limit is not None and limit <= column, (form_class, name)
            if limit is None:
                continue
            form = form_class(data={name: "x" * (limit + 1)}, **kwargs)
            assert name in form.errors, (form_class.__name__, name)
            checked.append(f"{form_class.__name__}.{name}")
    assert len(checked) >= 10, checked
