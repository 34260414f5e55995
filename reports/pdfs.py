"""A month's PDF, rendered once and served from storage.

Printing starts a Chromium (3–4 s of both cores); six downloads at once used to starve every other
request. So: each version of a month's PDF (an issued revision, or a draft from one recompute
run's data) is rendered once per audience and language and kept in the database; one render runs
at a time on the whole installation (a slot in the shared cache), at low CPU priority
(ikd_dashboard.chromium); a request that finds the slot taken waits for it, then finds the PDF
the other request stored — ten requests at once make one render.
"""

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kecamatan.models import RecomputeRun

from .models import MonthlyReport, ReportPdf

RENDER_SLOT = "ikd:report-pdf:render-slot"
POLL_SECONDS = 0.25


class PdfBusy(Exception):
    """Another PDF has been printing for longer than a request may wait."""


def report_pdf_version(report: MonthlyReport | None, scope: str = "") -> str:
    """What a stored PDF is keyed on: the revision, or for a draft the last recompute run (a
    draft's figures change only when a run brings new data); a kecamatan's report is its own."""
    prefix = f"{scope}:" if scope else ""
    if report is not None:
        return f"{prefix}r{report.revision}"
    run = (
        RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCESS)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"{prefix}draft-{run or 0}"


def report_pdf_stored(
    *, month, version: str, audience: str, render: Callable[[], bytes], language: str = ""
) -> bytes:
    """The stored PDF of this version, rendered first if there is none (once, whoever asks)."""
    wanted = {
        "month": month,
        "version": version,
        "audience": audience,
        "language": language or get_language(),
    }
    deadline = time.monotonic() + settings.REPORT_PDF_WAIT_SECONDS
    token = uuid.uuid4().hex
    while True:
        stored = _stored(wanted)
        if stored is not None:
            return stored
        if cache.add(RENDER_SLOT, token, timeout=settings.REPORT_PDF_WAIT_SECONDS):
            try:
                return _stored(wanted) or _render_and_keep(wanted, render)
            finally:
                if cache.get(RENDER_SLOT) == token:
                    cache.delete(RENDER_SLOT)
        if time.monotonic() > deadline:
            raise PdfBusy(_("PDF laporan sedang dibuat. Coba unduh lagi dalam satu menit."))
        time.sleep(POLL_SECONDS)


def report_pdf_keep(*, report: MonthlyReport, audience: str, pdf: bytes) -> None:
    """Keep a PDF rendered elsewhere (the one an issued report is emailed with)."""
    version = report_pdf_version(report, report.scope)
    wanted = {"month": report.month, "version": version, "audience": audience}
    _keep({**wanted, "language": get_language()}, pdf)


def _stored(wanted: dict) -> bytes | None:
    pdf = ReportPdf.objects.filter(**wanted).values_list("pdf", flat=True).first()
    return bytes(pdf) if pdf is not None else None


def _render_and_keep(wanted: dict, render: Callable[[], bytes]) -> bytes:
    pdf = render()
    _keep(wanted, pdf)
    return pdf


def _keep(wanted: dict, pdf: bytes) -> None:
    try:
        with transaction.atomic():
            ReportPdf.objects.create(**wanted, pdf=pdf)
    except IntegrityError:  # kept already, by a process that did not share our cache
        return
    # Drafts of this month from older runs will never be asked for again.
    if wanted["version"].startswith("draft-"):
        ReportPdf.objects.filter(month=wanted["month"], version__startswith="draft-").exclude(
            version=wanted["version"]
        ).delete()
