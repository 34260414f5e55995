"""English is complete: every UI string has a translation, and the compiled catalogue is current."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_every_string_has_an_english_translation():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / "en/LC_MESSAGES/django.mo"))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po.translated_entries()}
