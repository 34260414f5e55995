"""Issuing a month's report (frozen with its figures and PDF), its XLSX, and its delivery."""

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ikd_dashboard.chromium import html_to_pdf
from ikd_dashboard.dates import iso_date
from ikd_dashboard.spreadsheets import workbook_bytes
from kecamatan.accounts.audit import audit
from kecamatan.accounts.roles import PIMPINAN
from kecamatan.exports import export_metadata, percent_basis
from kecamatan.models import AuditEvent, Institution, Region, Visit
from kecamatan.vocabulary import denominator_title, gap_sum_explanation, projection_of

from .letter import letter_context, report_number
from .models import MonthlyReport, ReportPdf
from .monthly import (
    FURTHEST_BEHIND,
    change_label,
    report_changes,
    report_charts,
    report_figures,
)
from .pdfs import report_pdf_keep
from .summary import report_summary

log = logging.getLogger(__name__)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def report_context(
    *, figures: dict, report: MonthlyReport | None = None, previous: MonthlyReport | None = None
) -> dict:
    """What the page and the PDF show: the figures, the words and charts made from them, and
    the revision they belong to (None for a draft computed from today's data)."""
    # Ranked furthest behind first (largest gap in people): the first few are marked, and no
    # colour calls a kecamatan good for being first in a ranking by %.
    kecamatan = sorted(
        figures["kecamatan"],
        key=lambda c: (-(c["gap_people"] or 0), c["percent"] or 0, c["name"]),
    )
    behind = {k["code"] for k in kecamatan[:FURTHEST_BEHIND] if k["gap_people"]}
    changes = report.changes if report else []
    return {
        "figures": figures,
        "month": dt.date.fromisoformat(figures["month"]),
        "as_of": dt.date.fromisoformat(figures["as_of"]),
        "previous_as_of": dt.date.fromisoformat(figures["previous"]["as_of"]),
        "deadline": iso_date(figures["totals"]["target_deadline"]),
        "projected": iso_date(figures["totals"]["projected_date"]),
        "summary": report_summary(figures),
        "charts": report_charts(figures),
        "projection": projection_of(figures["totals"]),
        "gap_explanation": gap_sum_explanation(
            total=figures["totals"], parts=figures["segments"], unit=_("segmen")
        ),
        "kecamatan_gap_explanation": gap_sum_explanation(
            total=figures["totals"], parts=figures["kecamatan"], unit=child_word(figures)
        ),
        "child_word": child_word(figures),
        "kecamatan": [{**k, "rank": "behind" if k["code"] in behind else ""} for k in kecamatan],
        "report": report,
        "previous_revision": previous,
        "changes": [{**c, "label": change_label(c, figures.get("denominator"))} for c in changes],
        "office": settings.OFFICE_NAME,
        "letter": letter_context(report),
    }


STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


def child_word(figures: dict) -> str:
    """What the report ranks: "kecamatan", or "desa/kelurahan" in a kecamatan's report."""
    if figures.get("child_level", "kecamatan") == "kecamatan":
        return _("kecamatan")
    return _("desa/kelurahan")


def report_pdf(context: dict) -> bytes:
    """The PDF of a report: its page, printed (stylesheet inline: nothing is fetched)."""
    html = render_to_string(
        "reports/print.html",
        {
            **context,
            "charts": report_charts(context["figures"], paper=True),
            "stylesheet": STYLESHEET.read_text(encoding="utf-8"),
        },
    )
    header = f"{context['office']} · {_('Laporan capaian IKD')} {month_label(context['month'])}"
    return html_to_pdf(html, header=header)


def report_issue(
    *,
    month: dt.date,
    user: User | None = None,
    reason: str = "",
    revision: bool = False,
    deliver: bool = True,
    region: Region | None = None,
) -> tuple[MonthlyReport, bool]:
    """Issue the month's report from the data as it is now: the first time, or with
    `revision` a new revision. Without `revision`, an issued month is left as it is (so the
    monthly task may run twice). Without `deliver` (the demo's past months) nothing is printed
    or emailed now: the PDF is printed when first downloaded. Returns the report and whether it
    was issued now. With `region` (a kecamatan), that camat's report, issued and numbered on
    its own."""
    scope = region.code if region else ""
    latest = MonthlyReport.objects.filter(month=month, scope=scope).order_by("-revision").first()
    if latest and not revision:
        return latest, False
    figures = report_figures(month, region=region)
    number = latest.revision + 1 if latest else 1
    report = MonthlyReport(
        month=month,
        scope=scope,
        revision=number,
        number=report_number(month=month, revision=number),
        figures=figures,
        changes=report_changes(latest.figures, figures) if latest else [],
        reason=reason,
        issued_by=user,
        issued_at=timezone.now(),
    )
    report.pdf = (
        report_pdf(report_context(figures=figures, report=report, previous=latest))
        if deliver
        else b""
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # another run issued this revision first
        return MonthlyReport.objects.get(month=month, scope=scope, revision=number), False
    if report.pdf:
        report_pdf_keep(report=report, audience=ReportPdf.Audience.FULL, pdf=report.pdf)
    log.info("report %s revision %s issued by %s", f"{month:%Y-%m}", number, user or "schedule")
    audit(
        AuditEvent.Action.REPORT_ISSUE,
        user=user,
        target=f"{scope + ' ' if scope else ''}{month:%Y-%m} r{number}",
        reason=reason,
    )
    if deliver:
        transaction.on_commit(lambda: report_deliver(report))
    return report, True


def report_deliver(report: MonthlyReport) -> int:
    """Email the PDF to every active Pimpinan user with an address whose report it is — the
    kabupaten's to those not limited to a kecamatan, a kecamatan's to its camat — one message
    each: nobody sees who else got it. Returns how many were sent."""
    whose = {"scope__isnull": True} if not report.scope else {"scope__region_id": report.scope}
    recipients = list(
        User.objects.filter(groups__name=PIMPINAN, is_active=True, **whose)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    month = month_label(report.month)
    subject = _("Laporan capaian IKD %(month)s") % {"month": month}
    if report.scope:
        subject += " · " + report.figures["region"]["name"]
    if report.revision > 1:
        subject += " " + _("(revisi %(n)s)") % {"n": report.revision}
    body = "\n".join(
        [
            _("Yth. Pimpinan,"),
            "",
            *report_summary(report.figures),
            "",
            _("Laporan lengkap terlampir (PDF)."),
            f"{settings.OFFICE_NAME}",
        ]
    )
    messages = []
    for recipient in recipients:
        message = EmailMessage(subject, body, to=[recipient])
        message.attach(report_file_name(report, "pdf"), bytes(report.pdf), "application/pdf")
        messages.append(message)
    with get_connection() as connection:  # one SMTP session for all of them
        return connection.send_messages(messages) or 0


def report_issue_with_camats(
    *, month: dt.date, user: User | None = None, reason: str = "", revision: bool = False
) -> list[tuple[MonthlyReport, bool]]:
    """The kabupaten's report of the month, then each camat's (report_camat_regions): what the
    monthly task and an Admin's issue both send out. A revision revises each report that was
    issued and issues the others for the first time. The kabupaten's comes first."""
    issued = [report_issue(month=month, user=user, reason=reason, revision=revision)]
    for region in report_camat_regions():
        again = revision and MonthlyReport.objects.filter(month=month, scope=region.code).exists()
        issued.append(
            report_issue(month=month, user=user, reason=reason, revision=again, region=region)
        )
    return issued


def report_camat_regions() -> list[Region]:
    """The kecamatan whose report someone reads: those an active Pimpinan is limited to."""
    return list(
        Region.objects.filter(
            code__in=User.objects.filter(
                groups__name=PIMPINAN, is_active=True, scope__isnull=False
            ).values("scope__region_id")
        ).order_by("code")
    )


def report_file_name(report_or_month, extension: str, scope: str = "") -> str:
    if isinstance(report_or_month, MonthlyReport):
        scope = report_or_month.scope
        suffix = f"-r{report_or_month.revision}" if report_or_month.revision > 1 else ""
        where = f"{scope.replace('.', '')}-" if scope else ""
        return f"laporan-ikd-{where}{report_or_month.month:%Y-%m}{suffix}.{extension}"
    where = f"{scope.replace('.', '')}-" if scope else ""
    return f"laporan-ikd-{where}{report_or_month:%Y-%m}-draf.{extension}"


def report_xlsx(figures: dict) -> bytes:
    """The report's tables, one sheet each, numbers as numbers."""
    t = figures["totals"]
    sheets = {
        _("Ringkasan"): [
            [_("Uraian"), _("Nilai")],
            [_("Wilayah"), figures["region"]["name"]],
            [_("Per tanggal"), dt.date.fromisoformat(figures["as_of"])],
            [denominator_title(figures.get("denominator")), t["holders"]],
            [_("Sudah aktivasi"), t["activated"]],
            [_("Capaian (%)"), t["percent"]],
            [_("Target (%)"), t["target_percent"]],
            [_("Tenggat target"), iso_date(t["target_deadline"])],
            [_("Target (orang)"), t["target_people"]],
            [_("Kekurangan (orang)"), t["gap_people"]],
            [_("Seharusnya sudah (orang)"), t["milestone_people"]],
            [_("Aktivasi baru bulan ini"), figures["new_this_month"]],
            [_("Aktivasi baru bulan sebelumnya"), figures["new_previous_month"]],
            [_("Perubahan capaian (poin)"), figures["points_change"]],
            [_("Laju 30 hari (orang/hari)"), t["pace_30d_per_day"]],
            [_("Dibutuhkan (orang/hari)"), t["needed_per_day"]],
            *([[s] for s in report_summary(figures)]),
        ],
        _("Kecamatan"): [
            [
                _("Kode wilayah"),
                _("Kecamatan"),
                denominator_title(figures.get("denominator")),
                _("Sudah aktivasi"),
                _("Capaian (%)"),
                _("Aktivasi baru bulan ini"),
                _("Kekurangan (orang)"),
                _("Dibutuhkan (orang/hari)"),
            ],
            *(
                [
                    k["code"],
                    k["name"],
                    k["holders"],
                    k["activated"],
                    k["percent"],
                    k["new"],
                    k["gap_people"],
                    k.get("needed_per_day"),
                ]
                for k in figures["kecamatan"]
            ),
        ],
        _("Segmen"): [
            [
                _("Kode segmen"),
                _("Segmen"),
                denominator_title(figures.get("denominator")),
                _("Sudah aktivasi"),
                _("Capaian (%)"),
                _("Target (%)"),
                _("Kekurangan (orang)"),
            ],
            *(
                [
                    s["code"],
                    s["name"],
                    s["holders"],
                    s["activated"],
                    s["percent"],
                    s["target_percent"],
                    s["gap_people"],
                ]
                for s in figures["segments"]
            ),
        ],
        _("Desa"): [
            [
                _("Kode wilayah"),
                _("Desa/Kelurahan"),
                _("Kecamatan"),
                denominator_title(figures.get("denominator")),
                _("Sudah aktivasi"),
                _("Capaian (%)"),
                _("Kekurangan (orang)"),
            ],
            *(
                [
                    d["code"],
                    d["name"],
                    d["kecamatan"],
                    d["holders"],
                    d["activated"],
                    d["percent"],
                    d["gap_people"],
                ]
                for d in figures["desa_gaps"]
            ),
        ],
    }
    if figures.get("outreach"):  # reports issued before outreach was recorded have none
        sheets[_("Jemput bola")] = outreach_rows(figures["outreach"])
    if (figures.get("institutions") or {}).get("count"):  # nor those before rosters were kept
        sheets[_("Instansi")] = institution_rows(figures["institutions"])
    region = figures["region"]
    metadata = export_metadata(
        title=_("Laporan capaian IKD"),
        region=f"{region['name']} ({region['code']})",
        as_of=dt.date.fromisoformat(figures["as_of"]),
        basis=percent_basis(figures.get("denominator")),
        header=[heading for rows in sheets.values() for heading in rows[0]],
    )
    return workbook_bytes(sheets, metadata=metadata)


def institution_rows(institutions: dict) -> list[list]:
    """The institutions furthest behind, as a sheet (a hidden small count stays "<5")."""
    return [
        [
            _("Kode instansi"),
            _("Instansi"),
            _("Jenis"),
            _("Anggota dihitung"),
            _("Sudah aktivasi"),
            _("Capaian (%)"),
            _("Target (%)"),
            _("Kekurangan (orang)"),
        ],
        *(
            [
                i["code"],
                i["name"],
                str(dict(Institution.Kind.choices).get(i["kind"], i["kind"])),
                i.get("members_counted", i["members"]),
                i["activated"],
                i["percent"],
                i["target_percent"],
                i["gap_people"],
            ]
            for i in institutions["behind"]
        ),
    ]


def outreach_rows(outreach: dict) -> list[list]:
    """The report's outreach section as a sheet: totals, yield by place type, top reasons."""
    places = dict(Visit.Place.choices)
    return [
        [_("Uraian"), _("Nilai")],
        [_("Kegiatan terlaksana"), outreach["held"]],
        [_("Aktivasi dari kegiatan"), outreach["activated"]],
        [_("Aktivasi per kegiatan"), outreach["per_visit"]],
        [_("Gagal aktivasi"), outreach["failed"]],
        [_("Bisa diulang (%)"), outreach["retryable_share"]],
        [_("Kegiatan direncanakan bulan berikutnya"), outreach["next_month"]["planned"]],
        [_("Kegiatan dibutuhkan per bulan"), outreach["next_month"]["visits_needed"]],
        [],
        [_("Jenis tempat"), _("Kegiatan"), _("Aktivasi"), _("Per kegiatan")],
        *(
            [str(places.get(p["place"], p["place"])), p["visits"], p["activated"], p["per_visit"]]
            for p in outreach["by_place"]
        ),
        [],
        [_("Alasan gagal"), _("Orang"), _("Bisa diulang")],
        *(
            [r["name"], r["people"], _("ya") if r["retryable"] else _("tidak")]
            for r in outreach["top_reasons"]
        ),
    ]
