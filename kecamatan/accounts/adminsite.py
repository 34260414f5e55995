"""Django's admin screens, for the office's unlimited superusers only.

The admin knows nothing of the kecamatan limit (accounts/access.py): a superuser limited to one
kecamatan would see and change everything there. Such an account works through the office's
own pages, which keep the limit."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class OfficeAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from .access import user_scope

        user = request.user
        return user.is_active and user.is_superuser and user_scope(user) is None


class OfficeAdminConfig(AdminConfig):
    default_site = "kecamatan.accounts.adminsite.OfficeAdminSite"
