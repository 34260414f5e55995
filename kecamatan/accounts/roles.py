"""The roles an office account can have, named once. Each is a Django group of that name
(seeded by migration 0002, Petugas by the outreach migration); an account has one."""

from django.utils.translation import gettext_lazy as _

STAF = "Staf"  # reads the dashboard every day
PIMPINAN = "Pimpinan"  # reads the monthly report; sees small counts
ADMIN = "Admin"  # uploads data, sets targets, manages accounts
PETUGAS = "Petugas"  # field officer: records outreach visits in its kecamatan or the kabupaten

ROLES = (STAF, PIMPINAN, ADMIN, PETUGAS)
ROLE_CHOICES = [
    (STAF, _("Staf")),
    (PIMPINAN, _("Pimpinan")),
    (ADMIN, _("Admin")),
    (PETUGAS, _("Petugas")),
]
