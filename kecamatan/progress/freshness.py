"""How old the data are: the data date against today, for the banner on every page, `/health/`
and the Admins' daily email. Exports that stopped arriving must not go unnoticed behind a calm
"Data lengkap s.d. 9 April 2025" (docs/design.md, "The data date")."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ikd_dashboard.dates import today_jakarta

from ..accounts.roles import ADMIN
from ..pagecache import generation_memo, pages_generation
from .runs import recompute_status


@dataclass(frozen=True)
class DataFreshness:
    data_date: dt.date | None  # None: no data at all yet
    age_days: int | None
    stale: bool  # older than DATA_STALE_DAYS

    @property
    def label(self) -> str:
        return "stale" if self.stale else "fresh"


def data_freshness(*, today: dt.date | None = None) -> DataFreshness:
    """The data date and its age in days; read once per data generation in each process."""
    data_date = generation_memo("data-date", pages_generation(), _data_date)
    if data_date is None:
        return DataFreshness(data_date=None, age_days=None, stale=False)
    age = ((today or today_jakarta()) - data_date).days
    return DataFreshness(data_date=data_date, age_days=age, stale=age > settings.DATA_STALE_DAYS)


def _data_date() -> dt.date | None:
    """The date the pages show ("data lengkap s.d."): the last good recompute's, in one query.
    Before any recompute the pages have no figures to call stale (and /health/ says so)."""
    return recompute_status().latest_as_of


def data_stale_alert(*, today: dt.date | None = None) -> int:
    """Email every active Admin with an address when the data are stale, once a day at most
    (whatever runs it, however often). Returns how many were sent."""
    today = today or today_jakarta()
    freshness = data_freshness(today=today)
    if not freshness.stale or not cache.add(f"ikd:data-stale-mail:{today}", 1, 2 * 86400):
        return 0
    recipients = list(
        User.objects.filter(groups__name=ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    with translation.override(settings.LANGUAGE_CODE):
        date = date_format(freshness.data_date, "DATE_FORMAT")
        subject = _("Data IKD belum diperbarui: data terakhir %(date)s") % {"date": date}
        body = "\n".join(
            [
                _("Yth. Admin,"),
                "",
                _(
                    "Data aktivasi IKD terakhir bertanggal %(date)s, %(days)s hari yang lalu "
                    "(batas %(limit)s hari). Semua halaman dan laporan masih menghitung sampai "
                    "tanggal itu."
                )
                % {"date": date, "days": freshness.age_days, "limit": settings.DATA_STALE_DAYS},
                _("Unggah ekspor terbaru dari SIAK/IKD di halaman Unggah data."),
                "",
                settings.OFFICE_NAME,
            ]
        )
    messages = [EmailMessage(subject, body, to=[recipient]) for recipient in recipients]
    if not messages:
        return 0
    with get_connection() as connection:  # one SMTP session, one message each
        return connection.send_messages(messages) or 0
