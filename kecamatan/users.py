"""Demo accounts, one per role, with fresh random passwords each time they are made."""

import secrets

from django.contrib.auth.models import Group, User

DEMO_USERS = {
    # username: (role group, full name)
    "staf": ("Staf", "Staf Dispendukcapil"),
    "pimpinan": ("Pimpinan", "Kepala Dinas"),
    "admin": ("Admin", "Admin Data"),
}


def demo_users_create() -> dict[str, str]:
    """Create or reset the demo users; returns username → password."""
    passwords = {}
    for username, (role, full_name) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = role == "Admin"
        passwords[username] = secrets.token_urlsafe(9)
        user.set_password(passwords[username])
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    return passwords
