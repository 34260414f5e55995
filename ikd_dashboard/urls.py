from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kecamatan import api, views

from .health import health

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/<str:code>/", views.region_detail, name="region"),
    path("api/v1/progress/", api.ProgressView.as_view(), name="api-progress"),
    path("health/", health, name="health"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
