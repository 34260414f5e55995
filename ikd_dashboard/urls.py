from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from kecamatan.accounts import views as account_views
from kecamatan.dashboard import api
from kecamatan.dashboard import views as dashboard_views
from kecamatan.progress import views as progress_views
from kecamatan.uploads import views as upload_views
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


register_converter(IdConverter, "id")
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
    path("rekonsiliasi/<id:pk>/hapus/", progress_views.official_remove, name="official-remove"),
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
    path("health/", health, name="health"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
