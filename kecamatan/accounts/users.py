"""Office accounts: saved by an Admin (one role, an optional kecamatan limit, a password) with the
change in the audit trail, and the demo accounts, one per role, with fresh random passwords."""

import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction

from ..models import AuditEvent, Region, UserRegion
from .audit import audit
from .roles import ADMIN, PETUGAS, PIMPINAN, STAF

# What the account form edits on an existing account (and the password when one is given).
ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active"]

DEMO_USERS = {
    # username: (role group, full name)
    "staf": (STAF, "Staf Dispendukcapil"),
    "pimpinan": (PIMPINAN, "Kepala Dinas"),
    "admin": (ADMIN, "Admin Data"),
    "petugas": (PETUGAS, "Petugas Lapangan"),
}


def user_save(*, user: User, role: str, scope: Region | None, password: str, by: User) -> User:
    """Create or update an account from the account form, in one transaction; every change of
    the account, its role or its limit goes to the audit trail under `by`."""
    created = user.pk is None
    with transaction.atomic():
        if password:
            user.set_password(password)
        if created:
            user.save()
        else:
            user.save(update_fields=ACCOUNT_FIELDS + (["password"] if password else []))
        audit(
            AuditEvent.Action.USER_SAVE,
            user=by,
            target=user.get_username(),
            created=created,
            active=user.is_active,
            staff=user.is_staff,
            superuser=user.is_superuser,
        )
        roles_before = set(user.groups.values_list("name", flat=True))
        if roles_before != {role}:
            user.groups.set([Group.objects.get(name=role)])
            audit(AuditEvent.Action.USER_ROLES, user=by, target=user.get_username(), roles=[role])
        limit_before = UserRegion.objects.filter(user=user).values_list("region_id", flat=True)
        limit_before = limit_before.first()
        limit_after = scope.code if scope else None
        if limit_before != limit_after:
            if scope:
                UserRegion.objects.update_or_create(user=user, defaults={"region": scope})
            else:
                UserRegion.objects.filter(user=user).delete()
            audit(
                AuditEvent.Action.USER_ROLES,
                user=by,
                target=user.get_username(),
                limited_to=limit_after,
            )
    return user


def demo_users_create() -> dict[str, str]:
    """Create or reset the demo users; returns username → password."""
    passwords = {}
    for username, (role, full_name) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = role == ADMIN
        passwords[username] = secrets.token_urlsafe(9)
        user.set_password(passwords[username])
        user.save(update_fields=["first_name", "last_name", "is_staff", "is_superuser", "password"])
        user.groups.set([Group.objects.get(name=role)])
    return passwords
