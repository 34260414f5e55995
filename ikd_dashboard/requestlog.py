"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

A request id comes from the proxy's X-Request-ID when it sends one (so its logs and ours line
up), else a new one; it goes back in the response header, and into every log line written while
the request runs. One access line per request: method, path, status, duration, user, client.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from urllib.parse import unquote

from kecamatan.nik import nik_mask_text

from .security import client_ip

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# The request being served, for code that records who did something without being handed it
# (the audit trail's signal receivers).
current_request: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)
log = logging.getLogger("ikd.request")
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def nik_masking_log_records() -> None:
    """Every log record, whoever writes it and whichever handler takes it, has anything that may
    be a NIK masked in its message and traceback (an exception can quote a file's cell)."""
    base = logging.getLogRecordFactory()
    if getattr(base, "masks_niks", False):
        return

    def record_factory(*args, **kwargs):
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a bad format string is logging's to report
            return record
        masked = nik_mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = nik_mask_text(text)
        return record

    record_factory.masks_niks = True
    logging.setLogRecordFactory(record_factory)


class QuietRefusals(logging.Filter):
    """A refused request (403, 404) is one warning line, not a traceback: it is an answer, not
    a fault."""

    def filter(self, record):
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info, record.exc_text = None, None
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "request_id", "message", …extra fields given with `extra`}."""

    STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        # Every field, not just the message: Django's own records carry the request itself
        # (`<WSGIRequest: GET '/…?region=3311…'>`), and `extra` may carry anything.
        entry.update({k: _masked(v) for k, v in vars(record).items() if k not in self.STANDARD})
        if record.exc_text or record.exc_info:
            entry["exception"] = nik_mask_text(
                record.exc_text or self.formatException(record.exc_info)
            )
        return json.dumps(entry, ensure_ascii=False, default=str)


def _masked(value):
    """A log field's value with anything that may be a NIK masked, its shape kept."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_masked(v) for v in value]
    text = value if isinstance(value, str) else str(value)
    # A query string as sent (`?region=%33%33%31…`) is read as the digits it stands for.
    return nik_mask_text(unquote(text) if "%" in text else text)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request_token = current_request.set(request)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": nik_mask_text(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "client": client_ip(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
            current_request.reset(request_token)
