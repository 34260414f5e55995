"""Who may open what, logins that lock, headers and CSP, production settings, the audit trail,
small counts hidden from Staf, and structured logs."""

import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from kecamatan.models import AuditEvent, KtpHolderCount, OfficialFigure
from kecamatan.progress.runs import progress_recompute, recompute_run
from reports.issue import report_issue
from tests.conftest import PASSWORD, ROOT

# Every named URL of the project: an example path and what each visitor gets.
# anon = not signed in, outsider = signed in without a role, petugas = a field officer limited to
# Kecamatan Weru (33.11.01). "login" = 302 to the login page.
LOGIN, OK, FORBIDDEN, NOT_ALLOWED, NOT_FOUND = "login", 200, 403, 405, 404
ROLES = ("anon", "outsider", "staf", "pimpinan", "admin", "petugas")
READERS = {"anon": LOGIN, "outsider": OK, "staf": OK, "pimpinan": OK, "admin": OK, "petugas": OK}
ADMIN_ONLY = {
    "anon": LOGIN,
    "outsider": FORBIDDEN,
    "staf": FORBIDDEN,
    "pimpinan": FORBIDDEN,
    "petugas": FORBIDDEN,
}

# Outreach: every office role reads (not an account without a role); Petugas and Admin record.
VISIT_READERS = {**READERS, "outsider": FORBIDDEN}
VISIT_RECORDERS = {**VISIT_READERS, "staf": FORBIDDEN, "pimpinan": FORBIDDEN}
VISIT_API = {**VISIT_READERS, "anon": FORBIDDEN}
URL_TABLE = {
    "dashboard": ("/", {**READERS, "petugas": 302}),  # to its own kecamatan
    "region": ("/wilayah/33.11.01/", READERS),
    "region-download": ("/wilayah/33.11/unduh/wilayah.csv", {**READERS, "petugas": NOT_FOUND}),
    # A limited account (the petugas here) reads its kecamatan's report (test_camat_report.py).
    "reports": ("/laporan/", READERS),
    "report": ("/laporan/2025/4/", READERS),
    "report-download": ("/laporan/2025/4/unduh.xlsx", READERS),
    "report-issue": ("/laporan/2025/4/terbitkan/", {**ADMIN_ONLY, "admin": NOT_ALLOWED}),
    "upload-new": ("/unggah/", {**ADMIN_ONLY, "admin": OK}),
    "upload-history": ("/unggah/riwayat/", {**ADMIN_ONLY, "admin": OK}),
    "upload-detail": ("/unggah/{upload}/", {**ADMIN_ONLY, "admin": OK}),
    "upload-status": ("/unggah/{upload}/status/", {**ADMIN_ONLY, "admin": OK}),
    "upload-decide": ("/unggah/{upload}/keputusan/", {**ADMIN_ONLY, "admin": NOT_ALLOWED}),
    "targets": ("/target/", {**ADMIN_ONLY, "admin": OK}),
    "target-edit": ("/target/{target}/", {**ADMIN_ONLY, "admin": OK}),
    "target-remove": ("/target/{target}/hapus/", {**ADMIN_ONLY, "admin": NOT_ALLOWED}),
    "runs": ("/hitung-ulang/", {**ADMIN_ONLY, "admin": OK}),
    "official": ("/rekonsiliasi/", {**ADMIN_ONLY, "admin": OK}),
    "official-upload": ("/rekonsiliasi/unggah/", {**ADMIN_ONLY, "admin": NOT_ALLOWED}),
    "official-remove": ("/rekonsiliasi/{official}/hapus/", {**ADMIN_ONLY, "admin": NOT_ALLOWED}),
    "users": ("/pengguna/", {**ADMIN_ONLY, "admin": OK}),
    "user-edit": ("/pengguna/{user}/", {**ADMIN_ONLY, "admin": OK}),
    "audit": ("/audit/", {**ADMIN_ONLY, "admin": OK}),
    "password-change": ("/akun/sandi/", READERS),
    "password-change-done": ("/akun/sandi/selesai/", READERS),
    "api-progress": (
        "/api/v1/progress/?region=33.11",
        {**READERS, "anon": FORBIDDEN, "petugas": NOT_FOUND},
    ),
    # Peers: the province's own figures, read by every signed-in account as the dashboard is.
    "peers": ("/peringkat/", READERS),
    "api-peers": (  # no table here: a 404 that lists the dates there are
        "/api/v1/peers/",
        {**dict.fromkeys(ROLES, NOT_FOUND), "anon": FORBIDDEN},
    ),
    "outreach": ("/jemput-bola/", VISIT_READERS),
    "outreach-entry": ("/jemput-bola/catat/", VISIT_RECORDERS),
    "outreach-visit-new": ("/jemput-bola/kunjungan/baru/", VISIT_RECORDERS),
    "outreach-visit": ("/jemput-bola/kunjungan/{visit}/", VISIT_READERS),
    "outreach-yield": ("/jemput-bola/hasil/", VISIT_READERS),
    "outreach-next": ("/jemput-bola/tujuan/", VISIT_READERS),
    "outreach-next-download": ("/jemput-bola/tujuan/unduh.csv", VISIT_READERS),
    "outreach-plan-download": ("/jemput-bola/rencana/unduh.csv", VISIT_READERS),
    "outreach-plan": ("/jemput-bola/rencana/", VISIT_READERS),
    "outreach-reconcile": ("/jemput-bola/selisih/", VISIT_READERS),
    "outreach-calendar": ("/jemput-bola/kalender/", VISIT_READERS),
    "outreach-recap": ("/jemput-bola/rekap/", VISIT_READERS),
    "outreach-reasons": ("/jemput-bola/alasan/", {**ADMIN_ONLY, "admin": OK}),
    "outreach-reason-edit": ("/jemput-bola/alasan/tanpa_hp/", {**ADMIN_ONLY, "admin": OK}),
    "outreach-messages": ("/jemput-bola/pesan/", {**ADMIN_ONLY, "admin": OK}),
    "outreach-days-off": ("/jemput-bola/libur/", {**ADMIN_ONLY, "admin": OK}),
    "outreach-message-resend": (
        "/jemput-bola/pesan/1/kirim-ulang/",
        {**ADMIN_ONLY, "admin": NOT_ALLOWED},
    ),
    "outreach-sw": ("/jemput-bola/sw.js", dict.fromkeys(ROLES, OK)),  # no data in it
    # Requests from the open page: Admins decide (a limited Admin in its kecamatan).
    "outreach-requests": ("/jemput-bola/permintaan/", {**ADMIN_ONLY, "admin": OK}),
    "outreach-request": ("/jemput-bola/permintaan/{visit_request}/", {**ADMIN_ONLY, "admin": OK}),
    "api-visits": ("/api/v1/outreach/visits/", VISIT_API),
    "api-yield": ("/api/v1/outreach/yield/", VISIT_API),
    "api-next": ("/api/v1/outreach/next/", VISIT_API),
    "api-plan": ("/api/v1/outreach/plan/", VISIT_API),
    # Institutions: every office role reads (Petugas in their kecamatan); Admins change them.
    "institutions": ("/instansi/", VISIT_READERS),
    "institutions-download": ("/instansi/unduh.csv", VISIT_READERS),
    "institution": ("/instansi/{institution}/", VISIT_READERS),  # in Weru
    "institution-edit": ("/instansi/{institution}/ubah/", {**ADMIN_ONLY, "admin": OK}),
    "institution-check": ("/instansi/cek/", {**ADMIN_ONLY, "admin": OK}),
    "institution-targets": ("/instansi/target/", {**ADMIN_ONLY, "admin": OK}),
    "institution-target-remove": (
        "/instansi/target/{institution_target}/hapus/",
        {**ADMIN_ONLY, "admin": NOT_ALLOWED},
    ),
    "api-institutions": ("/api/v1/institutions/", VISIT_API),
    "api-institution-check": (  # POST only, Admins of the whole kabupaten
        "/api/v1/institutions/check/",
        {**dict.fromkeys(ROLES, FORBIDDEN), "admin": NOT_ALLOWED},
    ),
    # The open page is off by default (PUBLIC_PAGE): 404 for everyone (tests/public/ turn it on).
    "public": ("/publik/", dict.fromkeys(ROLES, NOT_FOUND)),
    "public-data": ("/publik/data.csv", dict.fromkeys(ROLES, NOT_FOUND)),
    "public-metadata": ("/publik/metadata.csv", dict.fromkeys(ROLES, NOT_FOUND)),
    "public-request-new": ("/publik/minta-kunjungan/", dict.fromkeys(ROLES, NOT_FOUND)),
    "public-request": ("/publik/permintaan/{request_token}/", dict.fromkeys(ROLES, NOT_FOUND)),
    "health": ("/health/", dict.fromkeys(ROLES, OK)),
    "login": ("/masuk/", {**dict.fromkeys(ROLES, 302), "anon": OK}),  # signed in: onwards
    "logout": ("/keluar/", dict.fromkeys(ROLES, NOT_ALLOWED)),  # POST only
    "set_language": ("/i18n/setlang/", dict.fromkeys(ROLES, 302)),
    # The Django admin: staff only (our Admin persona is staff), everyone else to its login.
    "admin": ("/admin/", {**dict.fromkeys(ROLES, 302), "admin": OK}),
}


def _named_urls() -> set[str]:
    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                names.add("admin")
            else:
                names |= {p.name for p in entry.url_patterns if isinstance(p, URLPattern)}
        elif entry.name:
            names.add(entry.name)
    return names


def test_every_url_of_the_project_has_an_entry_in_the_table():
    """A new URL fails here until someone decides who may open it."""
    assert _named_urls() == set(URL_TABLE)


def _visit_request() -> dict:
    from kecamatan.models import VisitRequest

    visit_request = VisitRequest.objects.create(
        requester="Bu Sri",
        contact="081234567890",
        kind="sekolah",
        group_name="SMA N 1 Weru",
        location="Aula SMA N 1 Weru",
        region_id="33.11.01.2001",
        expected=40,
        preferred_from=dt.date(2025, 4, 14),
        preferred_to=dt.date(2025, 4, 18),
    )
    return {"visit_request": visit_request.pk, "request_token": visit_request.token}


@pytest.fixture
def everything(small_kabupaten, admin_user, staf, pimpinan, outsider, petugas, settings, tmp_path):
    from kecamatan.models import Target, Upload
    from tests.institutions.roster_data import institution_with_target
    from tests.outreach.outreach_data import visit

    settings.UPLOAD_DIR = tmp_path
    recompute_run(kind="nightly", as_of=dt.date(2025, 4, 10))  # fresh: /health/ is 200
    return {
        "upload": Upload.objects.create(
            kind="aktivasi", file_name="a.csv", sha256="0" * 64, size_bytes=10, status="rejected"
        ).pk,
        "target": Target.objects.first().pk,
        "official": OfficialFigure.objects.create(
            region=small_kabupaten, as_of=dt.date(2025, 4, 9), activated=1
        ).pk,
        "user": staf.pk,
        "visit": visit(
            "33.11.01.2001", "sekolah", "SMA N 1 Weru", "held", dt.date(2025, 4, 9), [petugas], 4
        ).pk,
        **institution_with_target("DINDIK", "33.11.01"),
        **_visit_request(),
        "people": {
            "staf": staf,
            "pimpinan": pimpinan,
            "admin": admin_user,
            "outsider": outsider,
            "petugas": petugas,
        },
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(client, everything, role):
    if role != "anon":
        client.force_login(everything["people"][role])
    wrong = []
    for name, (path, expected) in URL_TABLE.items():
        response = client.get(path.format(**everything))
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/masuk/")
        else:
            ok = response.status_code == want
        if not ok:
            wrong.append((name, path, want, response.status_code))
    assert wrong == []


# --- accounts -------------------------------------------------------------------------------


def _login(client, password):
    return client.post("/masuk/", {"username": "staf", "password": password})


def test_five_wrong_passwords_lock_the_account_for_a_while(client, staf, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "salah-sekali").status_code == 200  # the form again, with an error
    locked = _login(client, "salah-sekali")  # the fifth
    assert locked.status_code == 429
    assert "Akun dikunci sementara" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="locked_out", username="staf").exists()
    assert AuditEvent.objects.filter(action="login_failed", username="staf").count() >= 5
    later = dt.datetime.now(dt.UTC) + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        assert _login(client, PASSWORD).status_code == 302  # signed in


def test_the_lockout_follows_the_client_behind_the_proxy(client, staf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            "/masuk/",
            {"username": "staf", "password": "salah"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    # The same user from another office PC behind the same proxy is not locked out.
    other = client.post(
        "/masuk/", {"username": "staf", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302
    event = AuditEvent.objects.filter(action="locked_out").get()
    assert event.client == "203.0.113.7"


def test_passwords_must_be_strong_and_can_be_changed(client, staf):
    client.force_login(staf)
    weak = client.post(
        "/akun/sandi/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    assert "terlalu pendek" in weak.content.decode() or "too short" in weak.content.decode()
    strong = "Tugu-Kartasura-2025!"
    done = client.post(
        "/akun/sandi/",
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert done.status_code == 302
    staf.refresh_from_db()
    assert staf.check_password(strong)
    assert AuditEvent.objects.filter(action="password_change", username="staf").exists()


def test_sessions_end_with_the_browser_and_after_eight_hours(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_an_admin_creates_an_account_with_a_role_and_it_is_audited(admin_client):
    response = admin_client.post(
        "/pengguna/",
        {
            "username": "operator1",
            "first_name": "Sri",
            "email": "sri@example.go.id",
            "is_active": "on",
            "role": "Pimpinan",
            "password": "Laporan-Bulanan-2025",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth.models import User

    user = User.objects.get(username="operator1")
    assert list(user.groups.values_list("name", flat=True)) == ["Pimpinan"]
    events = AuditEvent.objects.filter(target="operator1")
    assert {e.action for e in events} >= {"user_save", "user_roles"}
    assert {e.username for e in events} == {"admin"}  # who did it


# --- web security ---------------------------------------------------------------------------


def test_pages_carry_the_security_headers_and_a_csp_without_inline_script(
    staf_client, small_kabupaten
):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    response = staf_client.get("/")
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    # Every script is a file of ours or JSON data: nothing for 'unsafe-inline' to allow.
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_https_responses_carry_hsts(staf_client, settings, small_kabupaten):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = staf_client.get("/masuk/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "ikd_dashboard.settings",  # production's, not the tests'
        "DEBUG": "False",
        "SECRET_KEY": "k3N!v9@pQ2#xL7$wR4%tY8^uI1&oP5*aS6(dF0)gH3_jK9+lZ2=xC7-vB4",
        "NIK_HASH_KEY": "nik-hash-key-for-the-deploy-check-only-0123456789abcdef",
        "ALLOWED_HOSTS": "ikd.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- the audit trail ------------------------------------------------------------------------


def test_logins_target_changes_and_reports_are_in_the_audit_trail(
    client, admin_user, small_kabupaten
):
    client.defaults["REMOTE_ADDR"] = "10.0.0.9"  # the admin's PC
    client.post("/masuk/", {"username": "admin", "password": PASSWORD})
    client.post(
        "/target/",
        {"percent": "35", "valid_from": "2025-06-01", "deadline": "2025-12-31", "note": "uji"},
    )
    progress_recompute(as_of=dt.date(2025, 4, 10))
    client.post("/laporan/2025/4/terbitkan/")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "username", "client"))
    assert ("login", "admin", "10.0.0.9") in actions
    assert ("target_save", "admin", "10.0.0.9") in actions
    assert ("report_issue", "admin", "10.0.0.9") in actions
    html = client.get("/audit/").content.decode()
    assert "Target disimpan" in html and "Laporan diterbitkan" in html


def test_a_scheduled_report_is_audited_without_a_user(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 10))
    report_issue(month=dt.date(2025, 4, 1))
    event = AuditEvent.objects.get(action="report_issue")
    assert (event.user, event.username, event.target) == (None, "", "2025-04 r1")


def test_the_audit_trail_cannot_be_changed_or_deleted_from_the_application(db):
    event = AuditEvent.objects.create(action="login", username="x")
    event.username = "y"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(username="y")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).username == "x"


# --- small counts -------------------------------------------------------------------------------


@pytest.fixture
def tiny_segment(small_kabupaten):
    """Puron (desa in Bulu) gets 3 TNI holders, 2 of them activated."""

    from kecamatan.models import Activation
    from kecamatan.nik import nik_hash

    KtpHolderCount.objects.create(
        region_id="33.11.02.2001", segment_id="tni", valid_from=dt.date(2023, 1, 1), holders=3
    )
    for serial in (1, 2):
        Activation.objects.create(
            nik_hash=nik_hash(f"3311020101770{serial:03d}"),
            activated_on=dt.date(2024, 5, 1),
            region_id="33.11.02.2001",
            segment_id="tni",
        )
    progress_recompute(as_of=dt.date(2025, 4, 9))


def _segment_row(html: str, name: str) -> str:
    table = html[html.index('data-testid="segments"') :]
    return table[table.index(f">{name}</a>") :].split("</tr>")[0]


def test_staf_see_a_small_segment_only_combined_with_another(client, staf, tiny_segment):
    client.force_login(staf)
    html = client.get("/wilayah/33.11.02.2001/").content.decode()
    row = _segment_row(html, "TNI")
    assert row.count(">•<") == 2 and "66,7%" not in row
    # TNI (3 people) goes with ASN (100), the next smallest: 103 holders, 90 + 2 activated.
    combined = html[html.index('data-testid="combined-segments"') :].split("</tr>")[0]
    assert "ASN, TNI</small>" in combined and ">103<" in combined and ">92<" in combined
    assert ">•<" in _segment_row(html, "ASN")
    segment_page = client.get("/wilayah/33.11.02/?segmen=tni").content.decode()
    ranking = segment_page[segment_page.index('data-testid="children"') :]
    assert "•" in ranking and 'data-testid="hidden-note"' in segment_page
    api = client.get("/api/v1/progress/?region=33.11.02.2001").json()
    tni = next(s for s in api["segments"] if s["code"] == "tni")
    assert (tni["holders"], tni["activated"], tni["percent"]) == (None, None, None)
    assert api["combined"] == {
        "codes": ["asn", "tni"],
        "name": "ASN, TNI",
        "holders": 103,
        "activated": 92,
        "percent": 89.32,
    }
    csv = client.get("/wilayah/33.11.02.2001/unduh/segmen.csv").content.decode("utf-8-sig")
    assert "tni,TNI,•,•," in csv and 'asn+tni,"Gabungan: ASN, TNI",103,92,89.32' in csv


def test_pimpinan_and_admin_see_the_real_small_counts(client, pimpinan, admin_user, tiny_segment):
    for user in (pimpinan, admin_user):
        client.force_login(user)
        html = client.get("/wilayah/33.11.02.2001/").content.decode()
        assert "•" not in _segment_row(html, "TNI") and "66,7%" in _segment_row(html, "TNI")
        assert 'data-testid="combined-segments"' not in html


def test_a_small_segment_is_combined_at_every_level_where_it_is_small(client, staf, tiny_segment):
    """Bulu and the kabupaten have 3 TNI members: shown exactly there, they would be the desa's
    3 by subtraction, and they point at the same three people."""
    client.force_login(staf)
    for path in ("/wilayah/33.11.02/", "/wilayah/33.11/"):
        html = client.get(path).content.decode()
        assert _segment_row(html, "TNI").count(">•<") == 2, path
        assert 'data-testid="combined-segments"' in html, path


# --- logs ---------------------------------------------------------------------------------------


def test_each_request_logs_one_json_line_with_its_request_id(staf_client, db, caplog):
    from ikd_dashboard.requestlog import JsonFormatter

    with caplog.at_level(logging.INFO, logger="ikd.request"):
        response = staf_client.get("/akun/sandi/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    record = next(r for r in caplog.records if r.name == "ikd.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["path"] == "/akun/sandi/"
    assert line["status"] == 200 and line["request_id"] == "abc-123"
    assert isinstance(line["duration_ms"], float) and line["user_id"] is not None


# --- a user limited to one kecamatan -------------------------------------------------------------


@pytest.fixture
def operator(small_kabupaten):
    """A Staf member limited to Kecamatan Weru (33.11.01)."""
    from django.contrib.auth.models import Group, User

    from kecamatan.models import UserRegion

    user = User.objects.create_user("operator-weru", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Staf"))
    UserRegion.objects.create(user=user, region_id="33.11.01")
    progress_recompute(as_of=dt.date(2025, 4, 9))
    return user


def test_a_kecamatan_operator_sees_only_their_kecamatan(client, operator):
    client.force_login(operator)
    # The dashboard opens on their kecamatan; its desa are theirs too.
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/wilayah/33.11.01/")
    page = client.get("/wilayah/33.11.01/").content.decode()
    assert "Kecamatan Weru" in page and "Alasombo" in page
    assert 'href="/wilayah/33.11/"' not in page  # the kabupaten is named, not linked
    assert client.get("/wilayah/33.11.01.2001/").status_code == 200
    # Nothing outside it: pages, downloads, the API.
    for path in (
        "/wilayah/33.11/",
        "/wilayah/33.11.02/",
        "/wilayah/33.11.02.2001/",
        "/wilayah/33.11/unduh/wilayah.csv",
        "/api/v1/progress/?region=33.11.02",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/progress/").json()["region"]["code"] == "33.11.01"
    # The monthly report is Weru's own (tests/reports/test_camat_report.py).
    assert 'href="/laporan/"' in page
    assert "Kecamatan Weru" in client.get("/laporan/2025/4/").content.decode()


def test_an_admin_limits_an_account_to_a_kecamatan_and_it_is_audited(admin_client, staf):
    from kecamatan.models import Region, UserRegion

    Region.objects.create(code="33.11", name="Sukoharjo", level="kabupaten", depth=2)
    Region.objects.create(
        code="33.11.01", name="Weru", level="kecamatan", depth=3, parent_id="33.11"
    )
    response = admin_client.post(
        f"/pengguna/{staf.pk}/",
        {"username": "staf", "is_active": "on", "role": "Staf", "scope": "33.11.01"},
    )
    assert response.status_code == 302
    assert UserRegion.objects.get(user=staf).region_id == "33.11.01"
    event = AuditEvent.objects.filter(action="user_roles", target="staf").first()  # newest
    assert event.detail == {"limited_to": "33.11.01"} and event.username == "admin"
