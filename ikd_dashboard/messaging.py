"""Where a short text message goes, chosen by `MESSAGE_SENDER` as Django chooses its email backend.

Three senders: the console (the default: the message is printed, nothing leaves the machine),
email (Django's own mail settings) and an HTTP WhatsApp gateway of the kind offices rent (Fonnte,
Wablas and the like: a JSON POST with the device token in `Authorization`). A sender only carries
text; who gets what, the outbox and its retries belong to the caller (kecamatan/outreach/outbox.py).
A failed send raises SendFailed with a reason an Admin can read.
"""

import http.client
import json
import sys
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

GATEWAY_TIMEOUT_SECONDS = 15
ERROR_CHARS = 300  # what of a gateway's answer is kept as the reason: enough to read, no more


class SendFailed(Exception):
    """The message did not go out (yet): the reason, for the Admin's page."""


class ConsoleSender:
    """Prints the message (`make run`, tests): the address it would have gone to, then the text.
    It stands in for the WhatsApp gateway, so it asks for the same address (a WhatsApp number)."""

    channel = "console"
    address_kind = "whatsapp"

    def send(self, *, address: str, subject: str, body: str) -> None:
        # sys.stdout looked up at each send, not kept: a worker's or a test's stdout is the one.
        sys.stdout.write(f"--- {self.channel} → {address}: {subject}\n{body}\n---\n")
        sys.stdout.flush()


class EmailSender:
    """Through Django's email settings (EMAIL_HOST…) to the person's email address."""

    channel = "email"
    address_kind = "email"

    def send(self, *, address: str, subject: str, body: str) -> None:
        try:
            send_mail(subject, body, None, [address])
        except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
            raise SendFailed(f"email: {error}"[:ERROR_CHARS]) from error


class WhatsAppSender:
    """POST {"target", "phone", "message"} as JSON to WHATSAPP_GATEWAY_URL, the token as the
    `Authorization` header. Gateways differ in the name of the number's field (Fonnte `target`,
    Wablas `phone`): both carry it. Anything but a 2xx is a failure, and so is a 2xx whose JSON
    says `"status": false` (how these gateways answer an unknown number or a device that is
    offline)."""

    channel = "whatsapp"
    address_kind = "whatsapp"

    def __init__(self):
        if not settings.WHATSAPP_GATEWAY_URL:
            raise ImproperlyConfigured("WhatsAppSender needs WHATSAPP_GATEWAY_URL")
        self.url = settings.WHATSAPP_GATEWAY_URL
        self.token = settings.WHATSAPP_GATEWAY_TOKEN

    def send(self, *, address: str, subject: str, body: str) -> None:
        payload = json.dumps({"target": address, "phone": address, "message": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the office's own gateway URL, http(s)
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": self.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = response.read(64 * 1024)
        except urllib.error.HTTPError as error:  # a non-2xx answer
            detail = error.read(ERROR_CHARS).decode(errors="replace")
            raise SendFailed(f"HTTP {error.code}: {detail}"[:ERROR_CHARS]) from error
        # Refused, timed out, no route, a garbled answer, a bad URL.
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise SendFailed(f"gateway: {error}"[:ERROR_CHARS]) from error
        try:
            said = json.loads(answer)
        except ValueError:
            return  # a 2xx without JSON: taken as sent
        if isinstance(said, dict) and said.get("status") is False:
            reason = said.get("reason") or said.get("message") or "status false"
            raise SendFailed(f"gateway: {reason}"[:ERROR_CHARS])


def message_sender(path: str | None = None):
    """The sender named by `path`, or by settings.MESSAGE_SENDER."""
    return import_string(path or settings.MESSAGE_SENDER)()
