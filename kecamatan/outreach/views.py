"""Outreach pages about visits: the list, the phone entry, planning and editing a visit; for
Admin the failure reasons, the messages not sent, holidays and officers away; and the service
worker that keeps the entry page on the phone."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ikd_dashboard.dates import today_jakarta

from ..accounts.access import (
    outreach_reader_required,
    outreach_recorder_required,
    user_may_record_visits,
    visit_get_for_user,
    visits_for_user,
    whole_kabupaten_admin_required,
)
from ..models import FailureReason, Holiday, OfficerAbsence, OutboxMessage, Visit
from .forms import AbsenceForm, EntryForm, HolidayForm, OutreachFilterForm, ReasonForm, VisitForm
from .outbox import message_requeue, outbox_waiting
from .reconcile import reported_vs_recorded
from .selectors import outreach_as_of, visit_double_bookings, visits_filtered
from .tasks import message_send_task
from .visits import ClientIdTaken, reason_save, visit_failed, visit_record, visit_save

PER_PAGE = 50


@outreach_reader_required
def visit_list(request):
    form = OutreachFilterForm(request.GET, user=request.user)
    visits = visits_filtered(
        visits_for_user(request.user),
        region=form.region,
        since=form.since,
        until=form.until,
        status=form.value("status"),
        place=form.value("tempat"),
    )
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "outreach/visit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _warn_double_bookings(request, visit: Visit) -> None:
    for booking in visit_double_bookings(visit):
        messages.warning(
            request,
            _("%(officer)s sudah dijadwalkan di kegiatan lain pada %(day)s.")
            % {"officer": booking.officer, "day": formats.date_format(booking.day)},
        )


@outreach_recorder_required
def visit_entry(request):
    """The phone page: the result of a visit in a few taps, kept on the phone when offline."""
    today = today_jakarta()
    form = EntryForm(request.POST or None, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            visit, outcome = visit_record(data=form.visit_data(), by=request.user)
        except ClientIdTaken:
            messages.error(request, _("Catatan ini tidak dapat disimpan: kodenya sudah dipakai."))
            return redirect("outreach-entry")
        if outcome == "unchanged":
            messages.info(request, _("Catatan ini sudah tersimpan sebelumnya."))
        else:
            messages.success(
                request, _("Kegiatan %(location)s tersimpan.") % {"location": visit.location}
            )
        return redirect("outreach-entry")
    planned = list(
        visits_filtered(visits_for_user(request.user), since=today, until=today)
        .filter(status=Visit.Status.PLANNED)
        .order_by("location")
    )
    # The page fills the form from these when a planned visit is picked (no request needed).
    planned_json = {
        str(v.client_id): {
            "region": v.region_id,
            "place": v.place,
            "location": v.location,
            "expected": v.expected,
            "officers": [o.username for o in v.officers.all()],
        }
        for v in planned
    }
    return render(
        request,
        "outreach/entry.html",
        {
            "form": form,
            "planned": planned,
            "planned_json": planned_json,
            "today": today,
            "day": form.cleaned_data.get("day") if form.is_bound else today,
        },
    )


@outreach_recorder_required
def visit_new(request):
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        visit = visit_save(visit=form.instance, data=form.visit_data(), by=request.user)
        messages.success(request, _("Kegiatan disimpan."))
        _warn_double_bookings(request, visit)
        return redirect("outreach-visit", pk=visit.pk)
    return render(request, "outreach/visit_form.html", {"form": form})


@outreach_reader_required
def visit_detail(request, pk: int):
    editing = request.method == "POST"
    visit = visit_get_for_user(user=request.user, pk=pk, edit=editing)
    form = None
    if user_may_record_visits(request.user):
        form = VisitForm(
            request.POST or None, instance=visit, user=request.user, failed=visit_failed(visit)
        )
    if editing and form.is_valid():
        visit_save(visit=visit, data=form.visit_data(), by=request.user)
        messages.success(request, _("Perubahan disimpan."))
        _warn_double_bookings(request, visit)
        return redirect("outreach-visit", pk=visit.pk)
    comparison = None
    if visit.status == Visit.Status.HELD:
        rows = reported_vs_recorded(region=visit.region, since=visit.held_on, until=visit.held_on)[
            "rows"
        ]
        comparison = next((r for r in rows if r["place"] == visit.place), None)
    return render(
        request,
        "outreach/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "failures": visit.failures.select_related("reason").order_by("reason__sort_order"),
            "comparison": comparison,
        },
    )


@whole_kabupaten_admin_required  # the reasons are the whole office's list
def reason_list(request, code: str | None = None):
    reason = get_object_or_404(FailureReason, code=code) if code else None
    form = ReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        reason_save(reason=form.save(commit=False), by=request.user)
        messages.success(request, _("Alasan disimpan."))
        return redirect("outreach-reasons")
    return render(
        request,
        "outreach/reasons.html",
        {"form": form, "editing": reason, "reasons": FailureReason.objects.all()},
    )


@whole_kabupaten_admin_required  # reminders go to every kecamatan's officers
def message_list(request):
    """Reminders and recaps not sent: failed ones with their error, and those still queued."""
    return render(request, "outreach/messages.html", {"waiting": outbox_waiting()})


@whole_kabupaten_admin_required
@require_POST
def message_resend(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    if message_requeue(message_id=message.pk):
        transaction.on_commit(partial(message_send_task.delay, message.pk))
        messages.success(request, _("Pesan masuk antrean untuk dikirim ulang."))
    else:
        messages.info(request, _("Pesan ini sudah terkirim."))
    return redirect("outreach-messages")


@whole_kabupaten_admin_required  # holidays are the whole office's
def days_off(request):
    """The plan's capacity, kept by Admin: holidays, and officers away."""
    holiday = HolidayForm(request.POST if request.POST.get("kind") == "holiday" else None)
    absence = AbsenceForm(request.POST if request.POST.get("kind") == "absence" else None)
    if request.method == "POST":
        kind, remove = request.POST.get("kind"), request.POST.get("hapus")
        if kind == "holiday" and remove:
            Holiday.objects.filter(pk=remove).delete()
            return redirect("outreach-days-off")
        if kind == "absence" and remove:
            OfficerAbsence.objects.filter(pk=remove).delete()
            return redirect("outreach-days-off")
        form = holiday if kind == "holiday" else absence
        if form.is_bound and form.is_valid():
            form.save()
            messages.success(request, _("Disimpan. Rencana memakai hari ini sejak sekarang."))
            return redirect("outreach-days-off")
    # From a month before the day plans start from (the data date), so a test run on old data
    # and the office alike see the days that matter to the plan.
    since = outreach_as_of() - dt.timedelta(days=31)
    return render(
        request,
        "outreach/days_off.html",
        {
            "holiday_form": holiday,
            "absence_form": absence,
            "holidays": Holiday.objects.filter(day__gte=since),
            "absences": OfficerAbsence.objects.filter(end__gte=since)
            .select_related("officer")
            .order_by("start"),
        },
    )


@never_cache
def service_worker(request):
    """The service worker, from our own origin and at the outreach path so that it may keep
    the entry page (its scope is the folder it is served from). No data in it: public."""
    response = render(request, "outreach/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/jemput-bola/"
    return response
