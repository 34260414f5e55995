"""Accounts limited to one kecamatan stay limited everywhere: an Admin of Weru and a Pimpinan of
Weru through every URL of the project, the account form, uploads and the report email."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import AuditEvent, OfficialFigure, Target, Upload, UserRegion
from kecamatan.progress.runs import recompute_run
from reports.issue import report_issue
from tests.accounts.test_security import URL_TABLE
from tests.conftest import PASSWORD
from tests.institutions.roster_data import institution_with_target
from tests.outreach.outreach_data import visit
from tests.uploads.test_ingest import HEADER

WERU, BULU = "33.11.01", "33.11.02"


def _limited(username: str, role: str, region: str = WERU) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.go.id", password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    UserRegion.objects.create(user=user, region_id=region)
    return user


@pytest.fixture
def weru(small_kabupaten, admin_user, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path
    recompute_run(kind="nightly", as_of=dt.date(2025, 4, 10))
    colleague = _limited("operator-weru", "Staf")
    outside = _limited("operator-bulu", "Staf", BULU)
    AuditEvent.objects.create(action="login", user=outside, username=outside.username)
    AuditEvent.objects.create(action="login", user=admin_user, username="admin")
    return {
        "admin": _limited("admin-weru", "Admin"),
        "pimpinan": _limited("pimpinan-weru", "Pimpinan"),
        "colleague": colleague,
        "outside": outside,
        "upload": Upload.objects.create(
            kind="aktivasi",
            file_name="kabupaten.csv",
            sha256="0" * 64,
            size_bytes=1,
            status="rejected",
            uploaded_by=admin_user,
        ).pk,
        "target": Target.objects.first().pk,
        "official": OfficialFigure.objects.create(
            region_id=BULU, as_of=dt.date(2025, 4, 9), activated=1
        ).pk,
        "user": outside.pk,
        "visit": visit(
            "33.11.02.2001", "desa", "Balai desa Puron", "planned", dt.date(2025, 4, 14), []
        ).pk,
        **institution_with_target("PUSKESMAS-BULU", BULU),
        # A request from the open page for a visit in Bulu.
        **_visit_request_in_bulu(),
    }


def _visit_request_in_bulu() -> dict:
    from kecamatan.models import VisitRequest

    visit_request = VisitRequest.objects.create(
        requester="Pak Joko",
        contact="081234567890",
        kind="komunitas",
        group_name="Karang Taruna Puron",
        location="Balai RW 02 Puron",
        region_id="33.11.02.2001",
        expected=30,
        preferred_from=dt.date(2025, 4, 14),
        preferred_to=dt.date(2025, 4, 18),
    )
    return {"visit_request": visit_request.pk, "request_token": visit_request.token}


# What each limited persona gets at each URL: the kabupaten-wide and other kecamatan's things
# are shut (403 for a page of its own kind, 404 for an object that is not theirs).
LIMITED_ADMIN = {
    "dashboard": 302,  # on to Weru
    "region": 200,  # /wilayah/33.11.01/ is Weru itself
    "region-download": 404,  # the kabupaten's table
    # Weru's own monthly report (its desa ranked), never the kabupaten's: test_camat_report.py.
    "reports": 200,
    "report": 200,
    "report-download": 200,
    "report-issue": 403,
    "upload-new": 200,
    "upload-history": 200,
    "upload-detail": 404,  # the kabupaten Admin's upload
    "upload-status": 404,
    "upload-decide": 405,  # GET; a POST is 404, below
    "targets": 403,
    "target-edit": 403,
    "target-remove": 403,
    "runs": 403,
    "official": 403,
    "official-upload": 403,
    "official-remove": 403,
    "users": 200,
    "user-edit": 404,  # Bulu's operator
    "audit": 200,
    "password-change": 200,
    "password-change-done": 200,
    "api-progress": 404,  # ?region=33.11
    "peers": 200,  # the kabupaten's rank is the province's own figure
    "api-peers": 404,  # no table here
    "health": 200,
    "login": 302,
    "logout": 405,
    "set_language": 302,
    "admin": 302,  # not staff: the Django admin is for whole-kabupaten superusers
    # Outreach: Weru's visits and figures; Bulu's visit is not there; the reasons are the
    # whole office's list.
    "outreach": 200,
    "outreach-entry": 200,
    "outreach-visit-new": 200,
    "outreach-visit": 404,
    "outreach-yield": 200,
    "outreach-next": 200,
    "outreach-next-download": 200,
    "outreach-plan-download": 200,
    "outreach-plan": 200,
    "outreach-reconcile": 200,
    "outreach-calendar": 200,
    "outreach-recap": 200,
    "outreach-reasons": 403,
    "outreach-reason-edit": 403,
    "outreach-messages": 403,
    "outreach-days-off": 403,
    "outreach-message-resend": 403,
    "outreach-sw": 200,
    "outreach-requests": 200,  # Weru's requests (none here)
    "outreach-request": 404,  # Bulu's is not there
    # The open page is off by default: not there for anyone.
    **dict.fromkeys(
        ("public", "public-data", "public-metadata", "public-request-new", "public-request"), 404
    ),
    "api-visits": 200,
    "api-yield": 200,
    "api-next": 200,
    "api-plan": 200,
    # Institutions: Weru's; Bulu's is not there; checking a list and the targets per kind are
    # the whole kabupaten's (a check matches against every activation).
    "institutions": 200,
    "institutions-download": 200,
    "institution": 404,
    "institution-edit": 404,
    "institution-check": 403,
    "institution-targets": 403,
    "institution-target-remove": 403,
    "api-institutions": 200,
    "api-institution-check": 403,
}
LIMITED_PIMPINAN = {
    **LIMITED_ADMIN,
    **dict.fromkeys(
        ("upload-new", "upload-history", "upload-detail", "upload-status", "upload-decide"), 403
    ),
    **dict.fromkeys(("users", "user-edit", "audit"), 403),
    **dict.fromkeys(("outreach-entry", "outreach-visit-new"), 403),  # reads, does not record
    **dict.fromkeys(("outreach-requests", "outreach-request"), 403),  # Admins decide requests
    "institution-edit": 403,
}


@pytest.mark.parametrize(
    ("persona", "expected"), [("admin", LIMITED_ADMIN), ("pimpinan", LIMITED_PIMPINAN)]
)
def test_a_limited_account_gets_nothing_beyond_its_kecamatan_at_any_url(
    client, weru, persona, expected
):
    assert set(expected) == set(URL_TABLE)  # every URL of the project, decided
    client.force_login(weru[persona])
    wrong = []
    for name, (path, _roles) in URL_TABLE.items():
        status = client.get(path.format(**weru)).status_code
        if status != expected[name]:
            wrong.append((name, path, expected[name], status))
    assert wrong == []


def test_a_limited_admin_sees_only_its_kecamatans_accounts_uploads_and_audit(client, weru):
    client.force_login(weru["admin"])
    users = client.get("/pengguna/").content.decode()
    assert "operator-weru" in users and "operator-bulu" not in users and ">admin<" not in users
    audit = client.get("/audit/").content.decode()
    assert "operator-bulu" not in audit and ">admin<" not in audit
    assert "kabupaten.csv" not in client.get("/unggah/riwayat/").content.decode()
    assert (
        client.post(f"/unggah/{weru['upload']}/keputusan/", {"action": "cancel"}).status_code == 404
    )


@pytest.mark.parametrize(
    "scope",
    ["", BULU, "33.11"],
    ids=["the whole kabupaten", "another kecamatan", "the kabupaten code"],
)
def test_a_limited_admin_cannot_widen_a_scope_its_own_or_anyones(client, weru, scope):
    admin = weru["admin"]
    client.force_login(admin)
    # Its own account is an Admin's: beyond its reach (404); a colleague's form says no (200).
    for pk, username, answer in (
        (admin.pk, "admin-weru", 404),
        (weru["colleague"].pk, "operator-weru", 200),
    ):
        response = client.post(
            f"/pengguna/{pk}/",
            {"username": username, "is_active": "on", "role": "Staf", "scope": scope},
        )
        assert response.status_code == answer
        assert UserRegion.objects.get(user_id=pk).region_id == WERU
    created = client.post(
        "/pengguna/",
        {
            "username": "baru",
            "is_active": "on",
            "role": "Admin",
            "scope": scope,
            "password": "Kecamatan-Weru-2025",
        },
    )
    assert created.status_code == 200 and not User.objects.filter(username="baru").exists()


def test_a_limited_admin_creates_accounts_only_within_its_kecamatan(client, weru):
    client.force_login(weru["admin"])
    response = client.post(
        "/pengguna/",
        {
            "username": "baru",
            "is_active": "on",
            "role": "Staf",
            "scope": WERU,
            "password": "Kecamatan-Weru-2025",
        },
    )
    assert response.status_code == 302
    assert UserRegion.objects.get(user__username="baru").region_id == WERU


def test_a_limited_admin_cannot_take_over_an_account_above_its_reach(client, weru):
    """Privacy, third round, finding 7: an Admin limited to Weru set a new password for a
    superuser also limited to Weru, who then used the Django admin, which ignores the limit."""
    boss = _limited("superuser-weru", "Staf")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    other_admin = _limited("admin2-weru", "Admin")
    client.force_login(weru["admin"])
    listed = client.get("/pengguna/").content.decode()
    assert "superuser-weru" in listed and f'href="/pengguna/{boss.pk}/"' not in listed
    assert f'href="/pengguna/{weru["colleague"].pk}/"' in listed
    for account in (boss, other_admin):
        assert client.get(f"/pengguna/{account.pk}/").status_code == 404
        taken = client.post(
            f"/pengguna/{account.pk}/",
            {
                "username": account.username,
                "is_active": "on",
                "role": "Staf",
                "scope": WERU,
                "password": "Diambil-alih-2025",
            },
        )
        assert taken.status_code == 404
        account.refresh_from_db()
        assert not account.check_password("Diambil-alih-2025")
    # Within its reach, as before: a Staf of Weru gets a new password.
    reset = client.post(
        f"/pengguna/{weru['colleague'].pk}/",
        {
            "username": "operator-weru",
            "is_active": "on",
            "role": "Staf",
            "scope": WERU,
            "password": "Sandi-baru-Weru-2025",
        },
    )
    assert reset.status_code == 302
    weru["colleague"].refresh_from_db()
    assert weru["colleague"].check_password("Sandi-baru-Weru-2025")


def test_the_django_admin_is_for_unlimited_superusers_only(client, weru, admin_user):
    limited = _limited("superuser-weru", "Admin")
    limited.is_staff = limited.is_superuser = True
    limited.save()
    client.force_login(limited)
    refused = client.get("/admin/auth/user/")
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]
    client.force_login(admin_user)  # a superuser of the whole kabupaten
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_limited_admins_upload_for_another_kecamatan_is_refused(client, weru):
    client.force_login(weru["admin"])
    rows = f"{HEADER}\n3311024404850404,2025-04-06,{BULU},umum,\n"
    client.post(
        "/unggah/", {"kind": "aktivasi", "file": SimpleUploadedFile("a.csv", rows.encode())}
    )
    upload = Upload.objects.latest("pk")
    assert upload.status == "rejected"
    assert upload.errors[0]["value"] == BULU


def test_the_report_email_goes_to_each_kabupaten_pimpinan_alone(
    weru, pimpinan, django_capture_on_commit_callbacks
):
    second = User.objects.create_user("wakil", email="wakil@example.go.id", password=PASSWORD)
    second.groups.add(Group.objects.get(name="Pimpinan"))
    with django_capture_on_commit_callbacks(execute=True):
        report_issue(month=dt.date(2025, 4, 1))
    recipients = sorted(tuple(message.to + message.cc + message.bcc) for message in mail.outbox)
    # The Pimpinan limited to Weru cannot open the kabupaten's report: it is not sent to them.
    assert recipients == [("pimpinan@example.go.id",), ("wakil@example.go.id",)]


def test_each_request_reads_the_user_its_kecamatan_and_roles_in_one_statement(small_kabupaten):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kecamatan.accounts.access import user_roles, user_scope
    from kecamatan.accounts.backends import ScopedModelBackend

    backend = ScopedModelBackend()
    operator = _limited("operator-weru", "Staf")
    operator.groups.add(Group.objects.get(name="Petugas"))
    whole = User.objects.create_user("kabupaten", password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        loaded = backend.get_user(operator.pk)
        assert user_scope(loaded).code == WERU
        assert user_scope(loaded).display_name == "Kecamatan Weru"
        assert user_roles(loaded) == {"Staf", "Petugas"}
        assert loaded.get_username() == "operator-weru"
        assert loaded.check_password(PASSWORD)
        alone = backend.get_user(whole.pk)
        assert user_scope(alone) is None
        assert user_roles(alone) == frozenset()
    assert len(queries) == 2
    # Saved as it was read: nothing of the user is lost or changed by loading it this way.
    loaded.first_name = "Sri"
    loaded.save()
    assert User.objects.get(pk=operator.pk).first_name == "Sri"
    assert UserRegion.objects.get(user=operator).region_id == WERU
    # A deactivated account, or none at all, is nobody.
    User.objects.filter(pk=operator.pk).update(is_active=False)
    assert backend.get_user(operator.pk) is None
    assert backend.get_user(99999) is None
    assert backend.get_user("not a number") is None
