"""What every date and count the office handles must lie within, written once for the files,
the forms, the API and the reports."""

import datetime as dt

from django.utils.translation import gettext_lazy

IKD_START = dt.date(2022, 1, 1)  # no activation, recap, count, visit or target predates IKD
# The last day a visit, a target or an official figure can be dated: calendar arithmetic on it
# (weeks, months ahead) never overflows.
LAST_DAY = dt.date(2100, 12, 31)
DATES = (IKD_START, LAST_DAY)
DATES_MESSAGE = gettext_lazy("Tanggal harus antara 2022 dan 2100.")
# A date asked for in a URL or the API (?tanggal=): anything a date field holds that is not
# absurd; later than the data it simply shows the latest figures.
ASKED_DATES = (IKD_START, dt.date(2999, 12, 31))
MAX_COUNT = 100_000_000  # more than any province: a typo, or too big to sum in the database
