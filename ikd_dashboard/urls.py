from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kecamatan import api, views
from kecamatan.accounts import views as views_accounts
from kecamatan.progress import views as views_admin
from kecamatan.uploads import views as views_upload
from reports import views as report_views

from .health import health

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/<str:code>/", views.region_detail, name="region"),
    path(
        "wilayah/<str:code>/unduh/<slug:table>.<slug:file_format>",
        views.region_download,
        name="region-download",
    ),
    path("unggah/", views_upload.upload_new, name="upload-new"),
    path("unggah/riwayat/", views_upload.upload_history, name="upload-history"),
    path("unggah/<int:pk>/", views_upload.upload_detail, name="upload-detail"),
    path("unggah/<int:pk>/status/", views_upload.upload_status, name="upload-status"),
    path("unggah/<int:pk>/keputusan/", views_upload.upload_decide, name="upload-decide"),
    path("target/", views_admin.target_list, name="targets"),
    path("target/<int:pk>/", views_admin.target_list, name="target-edit"),
    path("target/<int:pk>/hapus/", views_admin.target_remove, name="target-remove"),
    path("hitung-ulang/", views_admin.run_list, name="runs"),
    path("rekonsiliasi/", views_admin.official_list, name="official"),
    path("rekonsiliasi/<int:pk>/hapus/", views_admin.official_remove, name="official-remove"),
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
    path("pengguna/", views_accounts.user_list, name="users"),
    path("pengguna/<int:pk>/", views_accounts.user_list, name="user-edit"),
    path("audit/", views_accounts.audit_list, name="audit"),
    path("akun/sandi/", views_accounts.PasswordChangeView.as_view(), name="password-change"),
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
