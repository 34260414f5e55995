"""The outbox: a message is a row first, then sent one attempt at a time by a Celery task
(tasks.py), through whatever MESSAGE_SENDER names (ikd_dashboard/messaging.py).

An attempt that fails leaves the row queued with its error, for the task's next try; after the
last one the row is failed, and stays on the Admin's page until someone sends it again. The
address is looked up at each attempt, so a WhatsApp number added after a failure counts on the
next "Kirim ulang". Of two tasks for the same message (a redelivery, a second click), the one
that claims the attempt with a conditional update sends; the other does nothing.
"""

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ikd_dashboard.messaging import SendFailed, message_sender

from ..models import OfficerContact, OutboxMessage

MESSAGE_ATTEMPTS = 5  # then the message is failed and waits for an Admin
WAITING_SHOWN = 200


def message_address(*, kind: str, recipient, sender) -> str:
    """Where this message goes with this sender: the office's group for the recap, else the
    recipient's WhatsApp number or email address ("" when there is none)."""
    if kind == OutboxMessage.Kind.RECAP:
        return settings.OUTREACH_GROUP_RECIPIENT
    if recipient is None:  # the account was deleted since
        return ""
    if sender.address_kind == "email":
        return recipient.email
    number = OfficerContact.objects.filter(user=recipient).values_list("whatsapp", flat=True)
    return number.first() or ""


def message_queue(*, key: str, kind: str, body: str, recipient=None) -> OutboxMessage | None:
    """Queue a message unless the one with this key already is: the new row, or None."""
    sender = message_sender()
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "body": body,
            "channel": sender.channel,
            "address": message_address(kind=kind, recipient=recipient, sender=sender),
        },
    )
    return message if created else None


def message_send(*, message_id: int, last_attempt: bool = True) -> bool:
    """One attempt at sending a queued message: True when it went out. A failed attempt raises
    SendFailed (for the task to try again later), unless it was the last: then the message is
    failed. A message without an address fails at once: trying again would not help."""
    message = (
        OutboxMessage.objects.select_related("recipient")
        .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
        .first()
    )
    if message is None:  # sent, or given up, meanwhile
        return False
    claimed = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.QUEUED, attempts=message.attempts
    ).update(attempts=message.attempts + 1)
    if not claimed:  # another task is on this attempt
        return False
    sender = message_sender()
    address = message_address(kind=message.kind, recipient=message.recipient, sender=sender)
    row = OutboxMessage.objects.filter(pk=message.pk)
    if not address:
        row.update(
            status=OutboxMessage.Status.FAILED,
            channel=sender.channel,
            address="",
            last_error=_no_address_error(message, sender),
        )
        return False
    try:
        sender.send(address=address, subject=message.get_kind_display(), body=message.body)
    except SendFailed as error:
        row.update(
            status=OutboxMessage.Status.FAILED if last_attempt else OutboxMessage.Status.QUEUED,
            channel=sender.channel,
            address=address,
            last_error=str(error),
        )
        if last_attempt:
            return False
        raise
    row.update(
        status=OutboxMessage.Status.SENT,
        channel=sender.channel,
        address=address,
        sent_at=timezone.now(),
    )
    return True


def _no_address_error(message: OutboxMessage, sender) -> str:
    if message.kind == OutboxMessage.Kind.RECAP:
        return _("Penerima grup (OUTREACH_GROUP_RECIPIENT) belum diisi.")
    user = message.recipient
    name = (user.get_full_name() or user.username) if user else "?"
    if sender.address_kind == "email":
        return _("%(name)s tidak punya alamat email.") % {"name": name}
    return _("%(name)s belum punya nomor WhatsApp (isi di Admin, Kontak petugas).") % {"name": name}


def message_requeue(*, message_id: int) -> bool:
    """Queue a failed (or stuck queued) message again; False when it has been sent already."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id,
            status__in=(OutboxMessage.Status.FAILED, OutboxMessage.Status.QUEUED),
        ).update(status=OutboxMessage.Status.QUEUED)
    )


def outbox_waiting():
    """The messages not sent: failed ones first, then those still queued, newest first."""
    failed_first = Case(
        When(status=OutboxMessage.Status.FAILED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
        .select_related("recipient")
        .order_by(failed_first, "-created_at", "-pk")[:WAITING_SHOWN]
    )
