"""What goes to phones: each officer's reminder the day before a planned visit, and the office
group's daily recap (the text of /jemput-bola/rekap/), written and queued in the outbox.

Both are written in the office's language (LANGUAGE_CODE), whoever or whatever queues them: a
WhatsApp group reads Indonesian even when an Admin browsing in English presses "Kirim ulang".
Each carries a key, so running the beat task twice (or by hand after it) queues nothing new.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from ..models import OutboxMessage, Visit
from ..regions import region_root
from ..vocabulary import format_people
from .outbox import message_queue
from .recap import recap_figures, recap_text
from .selectors import officer_name


def reminder_text(*, visit: Visit, officer) -> str:
    """The reminder one officer reads the day before: where, when, what kind of place, how many
    people to expect, and who else goes."""
    desa = visit.region
    where = [visit.location, desa.display_name]
    if desa.parent is not None:
        where.append(desa.parent.display_name)
    lines = [
        _("Halo %(name)s, pengingat jemput bola besok, %(day)s.")
        % {
            "name": officer_name(officer.username, officer.first_name, officer.last_name),
            "day": formats.date_format(visit.planned_on, "l, j F Y"),
        },
        _("Tempat: %(place)s.") % {"place": ", ".join(where)},
        _("Jenis tempat: %(kind)s.") % {"kind": visit.get_place_display()},
    ]
    if visit.institution:
        lines.append(_("Instansi/lembaga: %(name)s.") % {"name": visit.institution})
    if visit.expected:
        lines.append(
            _("Perkiraan peserta: %(people)s orang.") % {"people": format_people(visit.expected)}
        )
    others = [
        officer_name(o.username, o.first_name, o.last_name)
        for o in visit.officers.all()
        if o.pk != officer.pk
    ]
    if others:
        lines.append(_("Bersama: %(names)s.") % {"names": ", ".join(others)})
    return "\n".join(lines)


def reminder_key(*, visit: Visit, officer) -> str:
    # The day is part of it: a visit moved to another day is reminded of again.
    return f"reminder:{visit.pk}:{officer.pk}:{visit.planned_on:%Y-%m-%d}"


def reminders_queue(*, day: dt.date) -> list[int]:
    """Queue a reminder for each officer of each visit still planned on `day`; the ids of the
    messages queued now (none for a reminder queued before)."""
    visits = (
        Visit.objects.filter(status=Visit.Status.PLANNED, planned_on=day)
        .select_related("region__parent")
        .prefetch_related("officers")
        .order_by("pk")
    )
    queued = []
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for visit in visits:
            for officer in visit.officers.all():
                message = message_queue(
                    key=reminder_key(visit=visit, officer=officer),
                    kind=OutboxMessage.Kind.REMINDER,
                    recipient=officer,
                    body=reminder_text(visit=visit, officer=officer),
                )
                if message is not None:
                    queued.append(message.pk)
    return queued


def recap_queue(*, day: dt.date) -> int | None:
    """Queue the recap of `day` for the office's group (OUTREACH_GROUP_RECIPIENT), as the recap
    page writes it for the whole kabupaten; the id of the message, or None when there is no group,
    no region tree yet, or that day's recap was queued before."""
    region = region_root()
    if not settings.OUTREACH_GROUP_RECIPIENT or region is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        text = recap_text(recap_figures(region=region, day=day))
    message = message_queue(key=f"recap:{day:%Y-%m-%d}", kind=OutboxMessage.Kind.RECAP, body=text)
    return message.pk if message else None
