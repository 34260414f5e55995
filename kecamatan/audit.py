"""The audit trail: one call per thing worth knowing later (who, what, when, from where).

Logins, failed logins and lockouts, logouts and user changes are caught by signals, so the
Django admin's changes are recorded too; uploads, targets, official figures, recomputes and
reports call `audit` where they happen.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from ikd_dashboard.requestlog import current_request, request_id_var
from ikd_dashboard.security import client_ip

from .models import AuditEvent, UserRegion

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


@receiver(post_save, sender=User)
def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every login touches last_login: the login itself is recorded
    audit(
        AuditEvent.Action.USER_SAVE,
        target=instance.get_username(),
        created=created,
        active=instance.is_active,
        staff=instance.is_staff,
        superuser=instance.is_superuser,
    )


@receiver(post_delete, sender=User)
def _user_deleted(sender, instance, **kwargs):
    audit(AuditEvent.Action.USER_DELETE, target=instance.get_username())


@receiver(post_save, sender=UserRegion)
def _scope_saved(sender, instance, **kwargs):
    audit(
        AuditEvent.Action.USER_ROLES,
        target=instance.user.get_username(),
        limited_to=instance.region_id,
    )


@receiver(post_delete, sender=UserRegion)
def _scope_removed(sender, instance, **kwargs):
    audit(AuditEvent.Action.USER_ROLES, target=instance.user.get_username(), limited_to=None)


@receiver(m2m_changed, sender=User.groups.through)
def _roles_changed(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        audit(
            AuditEvent.Action.USER_ROLES,
            target=instance.get_username(),
            roles=sorted(instance.groups.values_list("name", flat=True)),
        )
