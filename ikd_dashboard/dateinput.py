"""Date boxes that read the same whatever the browser's language: the date is typed and shown as
dd/mm/yyyy in a text box (a browser's own date box follows its locale: 04/09/2025 on an English
Chromium), with the date in words beside it (static/js/dates.js keeps those words in step).
ISO dates (2025-04-09) are accepted too, so shared links keep working."""

from django import forms
from django.utils.translation import gettext_lazy as _

INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
SHOWN_FORMAT = "%d/%m/%Y"


class DayMonthYearInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            # No character classes: pattern attributes are compiled with the `v` flag.
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}",
            "placeholder": _("hh/bb/tttt"),
            "autocomplete": "off",
            "data-date-words": "",
            "size": 10,
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=SHOWN_FORMAT)


class DayMonthYearField(forms.DateField):
    widget = DayMonthYearInput
    input_formats = INPUT_FORMATS
