"""Compile locale/*/LC_MESSAGES/django.po to .mo with polib, so no gettext install is needed."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(po_path.with_suffix(".mo").relative_to(ROOT))
