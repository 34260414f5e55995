"""Accounts: users managed by Admins, the audit trail, and changing one's own password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from ..models import AuditEvent
from .access import (
    admin_required,
    audit_for_user,
    user_scope,
    users_editable_by,
    users_for_user,
)
from .audit import audit, audit_detail_sentence
from .forms import UserForm
from .users import user_save


@admin_required
def user_list(request, pk=None):
    user = get_object_or_404(users_editable_by(request.user), pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=user, limited_to=user_scope(request.user))
    if request.method == "POST" and form.is_valid():
        saved = user_save(
            user=form.save(commit=False),
            role=form.cleaned_data["role"],
            scope=form.cleaned_data["scope"],
            password=form.cleaned_data["password"],
            by=request.user,
        )
        messages.success(request, _("Akun %(name)s disimpan.") % {"name": saved.get_username()})
        return redirect("users")
    users = users_for_user(request.user).prefetch_related("groups").select_related("scope__region")
    users = users.order_by("username")
    editable = set(users_editable_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "accounts/users.html",
        {"form": form, "editing": user, "users": users, "editable": editable},
    )


@admin_required
def audit_list(request):
    events = audit_for_user(request.user)
    action = request.GET.get("tindakan")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("halaman"))
    rows = [(event, audit_detail_sentence(event.detail or {})) for event in page]
    return render(
        request,
        "accounts/audit.html",
        {"page": page, "rows": rows, "actions": AuditEvent.Action.choices, "action": action},
    )


class LogoutView(auth_views.LogoutView):
    """Signing out also empties this browser of what the account left in it: the phone entry's
    queue (localStorage), its page kept for use without a signal (the service worker's cache)
    and the worker itself. The page asks first when entries still wait (js/menu.js)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(AuditEvent.Action.PASSWORD_CHANGE, request=self.request)
        return response
