"""The audit trail: one call per thing worth knowing later (who, what, when, from where).

Logins, failed logins, lockouts and logouts are Django's own events, caught by signals. Every
other entry is written by the service that makes the change (uploads, targets, official figures,
recomputes, reports, accounts), and by the Django admin's user screens (accounts/admin.py).
"""

import datetime as dt

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import formats
from django.utils.translation import gettext as _

from ikd_dashboard.requestlog import current_request, request_id_var
from ikd_dashboard.security import client_ip

from ..models import AuditEvent, Upload
from ..vocabulary import format_target

User = get_user_model()


def audit(action: str, *, request=None, user=None, target="", **detail) -> AuditEvent:
    """Record one event. `request` defaults to the one being served and `user` to its user; a
    scheduled job or a command has neither."""
    request = request if request is not None else current_request.get()
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=(user.get_username() if user is not None else detail.pop("username", "")),
        action=action,
        target=str(target)[:200],
        detail=detail,
        client=client_ip(request) if request is not None else "",
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(AuditEvent.Action.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(AuditEvent.Action.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The password never goes in: Django has already replaced it with stars.
    audit(
        AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit(AuditEvent.Action.LOCKED_OUT, request=request, username=str(username or "")[:150])


def _iso_day(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _yes_no(value) -> str:
    return _("ya") if value else _("tidak")


def audit_detail_sentence(detail: dict) -> str:
    """An entry's details as a person reads them: `Peran: Admin.` rather than
    `roles: ['Admin']`. Keys it does not know are shown plainly, never dropped."""
    words = {
        "roles": lambda v: _("Peran: %(v)s.") % {"v": ", ".join(map(str, v)) or _("tanpa peran")},
        "created": lambda v: _("Akun baru.") if v else _("Akun diubah."),
        "active": lambda v: _("Aktif: %(v)s.") % {"v": _yes_no(v)},
        "staff": lambda v: _("Boleh membuka halaman Admin: %(v)s.") % {"v": _yes_no(v)},
        "limited_to": lambda v: (
            _("Dibatasi ke wilayah %(v)s.") % {"v": v}
            if v
            else _("Tidak dibatasi ke satu wilayah.")
        ),
        "upload": lambda v: _("Unggahan #%(v)s.") % {"v": v},
        "status": lambda v: _("Status: %(v)s.") % {"v": dict(Upload.Status.choices).get(v, v)},
        "retry": lambda v: _("Dicoba lagi.") if v else "",
        "percent": lambda v: _("Target %(v)s.") % {"v": format_target(v)},
        "valid_from": lambda v: _("Berlaku sejak %(v)s.") % {"v": _iso_day(v)},
        "deadline": lambda v: _("Tenggat %(v)s.") % {"v": _iso_day(v)},
        "rows": lambda v: _("%(v)s baris.") % {"v": v},
        "activated": lambda v: _("Jumlah aktivasi %(v)s.") % {"v": v},
        "source": lambda v: _("Sumber: %(v)s.") % {"v": v},
        "as_of": lambda v: _("Per tanggal %(v)s.") % {"v": _iso_day(v)},
        "reason": lambda v: _("Alasan: %(v)s.") % {"v": v} if v else "",
        # Check my list (cek daftar): how many rows, how many had activated, how many were no NIK.
        "found": lambda v: _("%(v)s sudah aktivasi.") % {"v": v},
        "invalid": lambda v: _("%(v)s NIK tidak valid.") % {"v": v},
        "refused": lambda v: _("Ditolak: %(v)s") % {"v": v},
        "removed": lambda v: _("Dihapus.") if v else "",
    }
    sentences = []
    for key, value in detail.items():
        if key in words:
            sentences.append(words[key](value))
        elif isinstance(value, list):
            sentences.append(f"{key}: {', '.join(map(str, value))}.")
        else:
            sentences.append(f"{key}: {value}.")
    return " ".join(s for s in sentences if s)
