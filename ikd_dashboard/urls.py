from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from kecamatan.accounts import views as account_views
from kecamatan.dashboard import api
from kecamatan.dashboard import views as dashboard_views
from kecamatan.institutions import api as institution_api
from kecamatan.institutions import views as institution_views
from kecamatan.outreach import api as outreach_api
from kecamatan.outreach import pages as outreach_pages
from kecamatan.outreach import plan_api as outreach_plan_api
from kecamatan.outreach import request_views as outreach_requests
from kecamatan.outreach import views as outreach_views
from kecamatan.peers import api as peers_api
from kecamatan.peers import views as peers_views
from kecamatan.progress import views as progress_views
from kecamatan.uploads import views as upload_views
from reports import public_views
from reports import views as report_views

from .health import health


class IdConverter:
    """A database id: at most 18 digits, so no id in a URL overflows a bigint (404, not 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class YearConverter(IdConverter):
    regex = "[0-9]{4}"


class MonthConverter(IdConverter):
    regex = "[0-9]{1,2}"


class InstitutionCodeConverter:
    """An institution's code as rosters give it (kecamatan/uploads/roster.py): `DINDIK`."""

    regex = "[A-Z0-9][A-Z0-9._-]{0,29}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "id")
register_converter(InstitutionCodeConverter, "kode")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("wilayah/<str:code>/", dashboard_views.region_detail, name="region"),
    path(
        "wilayah/<str:code>/unduh/<slug:table>.<slug:file_format>",
        dashboard_views.region_download,
        name="region-download",
    ),
    path("unggah/", upload_views.upload_new, name="upload-new"),
    path("unggah/riwayat/", upload_views.upload_history, name="upload-history"),
    path("unggah/<id:pk>/", upload_views.upload_detail, name="upload-detail"),
    path("unggah/<id:pk>/status/", upload_views.upload_status, name="upload-status"),
    path("unggah/<id:pk>/keputusan/", upload_views.upload_decide, name="upload-decide"),
    path("target/", progress_views.target_list, name="targets"),
    path("target/<id:pk>/", progress_views.target_list, name="target-edit"),
    path("target/<id:pk>/hapus/", progress_views.target_remove, name="target-remove"),
    path("hitung-ulang/", progress_views.run_list, name="runs"),
    path("rekonsiliasi/", progress_views.official_list, name="official"),
    path("rekonsiliasi/unggah/", upload_views.official_upload, name="official-upload"),
    path("rekonsiliasi/<id:pk>/hapus/", progress_views.official_remove, name="official-remove"),
    path("peringkat/", peers_views.ranking_page, name="peers"),
    path("api/v1/peers/", peers_api.PeersView.as_view(), name="api-peers"),
    path("laporan/", report_views.report_list, name="reports"),
    path("laporan/<yyyy:year>/<mm:month>/", report_views.report_detail, name="report"),
    path(
        "laporan/<yyyy:year>/<mm:month>/unduh.<slug:file_format>",
        report_views.report_download,
        name="report-download",
    ),
    path(
        "laporan/<yyyy:year>/<mm:month>/terbitkan/",
        report_views.report_issue_view,
        name="report-issue",
    ),
    path("pengguna/", account_views.user_list, name="users"),
    path("pengguna/<id:pk>/", account_views.user_list, name="user-edit"),
    path("audit/", account_views.audit_list, name="audit"),
    path("akun/sandi/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "akun/sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("api/v1/progress/", api.ProgressView.as_view(), name="api-progress"),
    # Outreach (jemput bola)
    path("jemput-bola/", outreach_views.visit_list, name="outreach"),
    path("jemput-bola/catat/", outreach_views.visit_entry, name="outreach-entry"),
    path("jemput-bola/kunjungan/baru/", outreach_views.visit_new, name="outreach-visit-new"),
    path("jemput-bola/kunjungan/<int:pk>/", outreach_views.visit_detail, name="outreach-visit"),
    path("jemput-bola/hasil/", outreach_pages.yield_page, name="outreach-yield"),
    path("jemput-bola/tujuan/", outreach_pages.next_page, name="outreach-next"),
    path(
        "jemput-bola/tujuan/unduh.<slug:file_format>",
        outreach_pages.next_download,
        name="outreach-next-download",
    ),
    path("jemput-bola/rencana/", outreach_pages.plan_page, name="outreach-plan"),
    path(
        "jemput-bola/rencana/unduh.<slug:file_format>",
        outreach_pages.plan_download,
        name="outreach-plan-download",
    ),
    path("jemput-bola/selisih/", outreach_pages.reconcile_page, name="outreach-reconcile"),
    path("jemput-bola/kalender/", outreach_pages.calendar_page, name="outreach-calendar"),
    path("jemput-bola/rekap/", outreach_pages.recap_page, name="outreach-recap"),
    path("jemput-bola/alasan/", outreach_views.reason_list, name="outreach-reasons"),
    path(
        "jemput-bola/alasan/<slug:code>/", outreach_views.reason_list, name="outreach-reason-edit"
    ),
    path("jemput-bola/pesan/", outreach_views.message_list, name="outreach-messages"),
    path("jemput-bola/libur/", outreach_views.days_off, name="outreach-days-off"),
    path(
        "jemput-bola/pesan/<id:pk>/kirim-ulang/",
        outreach_views.message_resend,
        name="outreach-message-resend",
    ),
    path("jemput-bola/sw.js", outreach_views.service_worker, name="outreach-sw"),
    path("jemput-bola/permintaan/", outreach_requests.request_list, name="outreach-requests"),
    path(
        "jemput-bola/permintaan/<id:pk>/",
        outreach_requests.request_detail,
        name="outreach-request",
    ),
    path("api/v1/outreach/visits/", outreach_api.VisitListView.as_view(), name="api-visits"),
    path("api/v1/outreach/yield/", outreach_api.YieldView.as_view(), name="api-yield"),
    path("api/v1/outreach/next/", outreach_api.NextView.as_view(), name="api-next"),
    path("api/v1/outreach/plan/", outreach_plan_api.PlanView.as_view(), name="api-plan"),
    # Institutions and their rosters
    path("instansi/", institution_views.institution_list, name="institutions"),
    path(
        "instansi/unduh.<slug:file_format>",
        institution_views.institution_download,
        name="institutions-download",
    ),
    path("instansi/cek/", institution_views.roster_check_page, name="institution-check"),
    path("instansi/target/", institution_views.institution_target_list, name="institution-targets"),
    path(
        "instansi/target/<id:pk>/hapus/",
        institution_views.institution_target_remove,
        name="institution-target-remove",
    ),
    path("instansi/<kode:code>/", institution_views.institution_detail, name="institution"),
    path("instansi/<kode:code>/ubah/", institution_views.institution_edit, name="institution-edit"),
    path(
        "api/v1/institutions/",
        institution_api.InstitutionListView.as_view(),
        name="api-institutions",
    ),
    path(
        "api/v1/institutions/check/",
        institution_api.RosterCheckView.as_view(),
        name="api-institution-check",
    ),
    # The open page (PUBLIC_PAGE): without sign-in; 404 everywhere while it is off.
    path("publik/", public_views.public_page, name="public"),
    path("publik/data.csv", public_views.public_data, name="public-data"),
    path("publik/metadata.csv", public_views.public_metadata, name="public-metadata"),
    path("publik/minta-kunjungan/", outreach_requests.request_new, name="public-request-new"),
    path(
        "publik/permintaan/<slug:token>/", outreach_requests.request_status, name="public-request"
    ),
    path("health/", health, name="health"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", account_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
