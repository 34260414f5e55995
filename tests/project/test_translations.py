"""English is complete: every UI string has a translation, and the compiled catalogue is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_string_has_an_english_translation():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / "en/LC_MESSAGES/django.mo"))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po.translated_entries()}


def test_makemessages_finds_no_string_without_a_translation(tmp_path):
    """Run `makemessages` on a copy of the source: any UI string added since the catalogue was
    last refreshed shows up untranslated (this is what `make messages` would find)."""
    root = LOCALE.parent
    skip = shutil.ignore_patterns(
        ".venv",
        ".venv-shipped",
        ".git",
        "staticfiles",
        "var",
        "test-artifacts",
        "*.sqlite3",
        "__pycache__",
    )
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=skip)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--ignore=tests",
            "--ignore=scripts",
            "--ignore=bench",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": ""},
    )
    po = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate: " + repr(missing[:10])


def test_every_english_text_formats_with_the_placeholders_of_its_indonesian():
    """A translation that drops, adds or breaks a `%(name)s` (a bare `%` before a letter) fails
    only when that page is shown in English: each is formatted here with its msgid's names."""
    import re

    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    broken = []
    for entry in po.translated_entries():
        if "python-format" not in entry.flags:
            continue
        names = set(re.findall(r"%\((\w+)\)", entry.msgid + entry.msgid_plural))
        values = dict.fromkeys(names, 1)  # a number formats as %s and as %d
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not text:
                continue
            try:
                text % values
            except (ValueError, KeyError, TypeError) as error:
                broken.append((entry.msgid[:60], str(error)))
            if set(re.findall(r"%\((\w+)\)", text)) - names:
                broken.append((entry.msgid[:60], "a placeholder the Indonesian does not have"))
    assert broken == []
