"""Hostile values in every parameter of every URL — dates at the ends of the calendar, huge and
negative numbers, long strings, NUL and odd Unicode — give an answer (200, 302, 400, 403, 404,
405), never a 500. The test client raises any exception a view lets out, so a crash fails here
with its traceback."""

import datetime as dt
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kecamatan.progress.runs import recompute_run
from tests.accounts.test_security import URL_TABLE
from tests.institutions.roster_data import institution_with_target

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2025-02-29",
            "2024-02-29",
            "1969-12-31",
            "0",
            "-1",
            "99999999999999999999999999",
            "1e308",
            "NaN",
            "",
            "\x00",
            "33.11",
            "33.11.01.2001",
            "3311014101900101",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "😀",
            "\u202e",
            "٣٣.١١",
            "３３．１１",
            "x" * 5000,
        ]
    ),
    st.text(max_size=200),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)

# Each URL with its parameters in braces (path) or as query/form names; method; who asks.
TARGETS = {
    "dashboard": ("GET", "/", ["segmen", "tanggal", "urut"]),
    "region": ("GET", "/wilayah/{code}/", ["segmen", "tanggal", "urut"]),
    "region-download": ("GET", "/wilayah/{code}/unduh/{table}.{fmt}", ["segmen", "tanggal"]),
    "reports": ("GET", "/laporan/", []),
    "report": ("GET", "/laporan/{year}/{month}/", ["revisi"]),
    "report-download": ("GET", "/laporan/{year}/{month}/unduh.{fmt}", ["revisi"]),
    "report-issue": ("POST", "/laporan/{year}/{month}/terbitkan/", ["alasan"]),
    "upload-new": ("POST", "/unggah/", ["kind"]),
    "upload-history": ("GET", "/unggah/riwayat/", []),
    "upload-detail": ("GET", "/unggah/{pk}/", []),
    "upload-status": ("GET", "/unggah/{pk}/status/", []),
    "upload-decide": ("POST", "/unggah/{pk}/keputusan/", ["action"]),
    "targets": ("POST", "/target/", ["percent", "valid_from", "deadline", "note", "region"]),
    "target-edit": ("GET", "/target/{pk}/", []),
    "target-remove": ("POST", "/target/{pk}/hapus/", []),
    "runs": ("GET", "/hitung-ulang/", []),
    "official": ("POST", "/rekonsiliasi/", ["region", "as_of", "activated", "holders", "source"]),
    "official-upload": ("POST", "/rekonsiliasi/unggah/", ["file"]),
    "official-remove": ("POST", "/rekonsiliasi/{pk}/hapus/", []),
    "users": ("POST", "/pengguna/", ["username", "email", "first_name", "role", "scope"]),
    "user-edit": ("GET", "/pengguna/{pk}/", []),
    "audit": ("GET", "/audit/", ["tindakan", "halaman"]),
    "password-change": ("POST", "/akun/sandi/", ["old_password", "new_password1"]),
    "password-change-done": ("GET", "/akun/sandi/selesai/", []),
    "api-progress": ("GET", "/api/v1/progress/", ["region", "as_of"]),
    "health": ("GET", "/health/", []),
    "login": ("POST", "/masuk/", ["username", "password"]),
    "logout": ("POST", "/keluar/", []),
    "set_language": ("POST", "/i18n/setlang/", ["language", "next"]),
    "admin": ("GET", "/admin/", ["q"]),
    "outreach": (
        "GET",
        "/jemput-bola/",
        ["wilayah", "dari", "sampai", "status", "tempat", "halaman"],
    ),
    "outreach-entry": (
        "POST",
        "/jemput-bola/catat/",
        ["client_id", "status", "place", "region", "planned_on", "held_on", "activated"],
    ),
    "outreach-visit-new": (
        "POST",
        "/jemput-bola/kunjungan/baru/",
        ["region", "place", "location", "status", "planned_on", "expected", "letter_date"],
    ),
    "outreach-visit": ("GET", "/jemput-bola/kunjungan/{pk}/", []),
    "outreach-yield": ("GET", "/jemput-bola/hasil/", ["wilayah", "dari", "sampai"]),
    "outreach-next": ("GET", "/jemput-bola/tujuan/", ["wilayah", "n", "dari", "sampai"]),
    "outreach-next-download": ("GET", "/jemput-bola/tujuan/unduh.{fmt}", ["wilayah", "n"]),
    "outreach-plan": ("GET", "/jemput-bola/rencana/", ["wilayah", "petugas", "hari", "minggu"]),
    "outreach-plan-download": (
        "GET",
        "/jemput-bola/rencana/unduh.{fmt}",
        ["wilayah", "petugas", "hari", "minggu"],
    ),
    "outreach-reconcile": ("GET", "/jemput-bola/selisih/", ["wilayah", "dari", "sampai"]),
    "outreach-calendar": ("GET", "/jemput-bola/kalender/", ["wilayah", "minggu", "per"]),
    "outreach-recap": ("GET", "/jemput-bola/rekap/", ["wilayah", "tanggal"]),
    "outreach-reasons": ("POST", "/jemput-bola/alasan/", ["code", "name", "sort_order"]),
    "outreach-reason-edit": ("GET", "/jemput-bola/alasan/{code}/", []),
    "outreach-messages": ("GET", "/jemput-bola/pesan/", []),
    "outreach-days-off": ("POST", "/jemput-bola/libur/", ["kind", "day", "name", "start", "end"]),
    "outreach-message-resend": ("POST", "/jemput-bola/pesan/{pk}/kirim-ulang/", []),
    "outreach-sw": ("GET", "/jemput-bola/sw.js", []),
    "api-visits": (
        "POST",
        "/api/v1/outreach/visits/",
        ["client_id", "region", "place", "status", "planned_on", "held_on", "activated"],
    ),
    "api-yield": ("GET", "/api/v1/outreach/yield/", ["region", "since", "until"]),
    "api-next": ("GET", "/api/v1/outreach/next/", ["region", "n"]),
    "api-plan": (
        "GET",
        "/api/v1/outreach/plan/",
        ["region", "weeks", "officers", "days_per_week", "as_of"],
    ),
    "peers": ("GET", "/peringkat/", ["tanggal"]),
    "api-peers": ("GET", "/api/v1/peers/", ["scope", "as_of"]),
    "institutions": ("GET", "/instansi/", ["jenis", "wilayah", "tanggal", "urut"]),
    "institutions-download": ("GET", "/instansi/unduh.{fmt}", ["jenis", "wilayah", "tanggal"]),
    "institution": ("GET", "/instansi/{inst}/", ["tanggal"]),
    "institution-edit": ("POST", "/instansi/{inst}/ubah/", ["name", "kind", "region", "segment"]),
    "institution-check": ("POST", "/instansi/cek/", ["file"]),
    "institution-targets": (
        "POST",
        "/instansi/target/",
        ["percent", "valid_from", "deadline", "kind", "institution", "source_date"],
    ),
    "institution-target-remove": ("POST", "/instansi/target/{pk}/hapus/", []),
    "outreach-requests": ("GET", "/jemput-bola/permintaan/", ["halaman"]),
    "outreach-request": (
        "POST",
        "/jemput-bola/permintaan/{pk}/",
        ["keputusan", "planned_on", "time_from", "time_to", "place", "officers", "reason"],
    ),
    # The open page, turned on for this test (signed_in): without it every URL is a 404.
    "public": ("GET", "/publik/", []),
    "public-data": ("GET", "/publik/data.csv", []),
    "public-metadata": ("GET", "/publik/metadata.csv", []),
    "public-request-new": (
        "POST",
        "/publik/minta-kunjungan/",
        [
            "group_name",
            "kind",
            "location",
            "region",
            "expected",
            "preferred_from",
            "preferred_to",
            "note",
            "requester",
            "contact",
            "situs",
        ],
    ),
    "public-request": ("GET", "/publik/permintaan/{token}/", []),
    "api-institutions": ("GET", "/api/v1/institutions/", ["region", "kind", "as_of"]),
    "api-institution-check": ("POST", "/api/v1/institutions/check/", ["file"]),
}
PATH_PARTS = ("code", "table", "fmt", "year", "month", "pk", "inst", "token")


def test_every_url_is_fuzzed():
    assert set(TARGETS) == set(URL_TABLE)


@pytest.fixture
def signed_in(client, small_kabupaten, admin_user, staf, settings):
    from kecamatan.models import OfficialFigure, Target, Upload, VisitRequest

    settings.PUBLIC_PAGE = True
    recompute_run(kind="nightly", as_of=dt.date(2025, 4, 10))
    asked = VisitRequest.objects.create(
        requester="Bu Sri",
        contact="0812 3456 7890",
        kind="sekolah",
        group_name="SMA N 1 Weru",
        location="Aula",
        region_id="33.11.01.2001",
        expected=40,
        preferred_from=dt.date(2025, 5, 12),
        preferred_to=dt.date(2025, 5, 16),
    )
    client.force_login(admin_user)
    client.real_ids = {
        "pk": [
            str(
                Upload.objects.create(
                    kind="aktivasi",
                    file_name="a.csv",
                    sha256="0" * 64,
                    size_bytes=1,
                    status="rejected",
                ).pk
            ),
            str(Target.objects.first().pk),
            str(
                OfficialFigure.objects.create(
                    region=small_kabupaten, as_of=dt.date(2025, 4, 9), activated=1
                ).pk
            ),
            str(staf.pk),
            str(institution_with_target("DINDIK", "33.11.01")["institution_target"]),
            str(asked.pk),
        ],
        "token": [asked.token],
        "code": ["33.11", "33.11.01", "33.11.01.2001"],
        "inst": ["DINDIK"],
        "table": ["wilayah", "segmen", "bulanan", "rekonsiliasi"],
        "fmt": ["csv", "csv-id", "xlsx", "pdf"],
        "year": ["2025"],
        "month": ["4", "3"],
    }
    return client


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_hostile_parameter_gives_a_server_error(signed_in, name, data):
    method, template, names = TARGETS[name]
    # Each part of the path real or hostile, so hostile query values reach real pages too.
    parts = {
        p: quote(data.draw(st.sampled_from(signed_in.real_ids[p]) | HOSTILE, label=p), safe="")
        or "x"
        for p in PATH_PARTS
    }
    path = template.format(**parts)
    values = {n: data.draw(HOSTILE, label=n) for n in names}
    if method == "GET":
        response = signed_in.get(f"{path}?{urlencode(values)}" if values else path)
    else:
        response = signed_in.post(path, values)
    assert response.status_code < 500, (path, values, response.status_code)
