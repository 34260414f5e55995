from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kecamatan.accounts import views as account_views
from kecamatan.dashboard import api
from kecamatan.dashboard import views as dashboard_views
from kecamatan.progress import views as progress_views
from kecamatan.uploads import views as upload_views
from reports import views as report_views

from .health import health

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
    path("unggah/<int:pk>/", upload_views.upload_detail, name="upload-detail"),
    path("unggah/<int:pk>/status/", upload_views.upload_status, name="upload-status"),
    path("unggah/<int:pk>/keputusan/", upload_views.upload_decide, name="upload-decide"),
    path("target/", progress_views.target_list, name="targets"),
    path("target/<int:pk>/", progress_views.target_list, name="target-edit"),
    path("target/<int:pk>/hapus/", progress_views.target_remove, name="target-remove"),
    path("hitung-ulang/", progress_views.run_list, name="runs"),
    path("rekonsiliasi/", progress_views.official_list, name="official"),
    path("rekonsiliasi/<int:pk>/hapus/", progress_views.official_remove, name="official-remove"),
    path("laporan/", report_views.report_list, name="reports"),
    path("laporan/<int:year>/<int:month>/", report_views.report_detail, name="report"),
    path(
        "laporan/<int:year>/<int:month>/unduh.<slug:file_format>",
        report_views.report_download,
        name="report-download",
    ),
    path(
        "laporan/<int:year>/<int:month>/terbitkan/",
        report_views.report_issue_view,
        name="report-issue",
    ),
    path("pengguna/", account_views.user_list, name="users"),
    path("pengguna/<int:pk>/", account_views.user_list, name="user-edit"),
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
