"""Visit requests: the open page's form and the requester's status page (no sign-in, only with
PUBLIC_PAGE on), and the Admin's list where each is accepted into the plan or declined."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ikd_dashboard.dates import today_jakarta
from ikd_dashboard.security import client_ip

from ..accounts.access import (
    admin_required,
    public_page_required,
    visit_request_get_for_user,
    visit_requests_for_user,
)
from ..models import VisitRequest
from .request_forms import RequestAcceptForm, RequestDeclineForm, VisitRequestForm
from .requests import (
    RequestLimited,
    request_count,
    request_number,
    requests_new_first,
    visit_request_accept,
    visit_request_create,
    visit_request_decline,
)

PER_PAGE = 50


@public_page_required
def request_new(request):
    form = VisitRequestForm(request.POST or None, today=today_jakarta())
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            request_count(client=client_ip(request))
        except RequestLimited as error:
            form.add_error(None, str(error))
            status = 429
        else:
            if form.is_robot():
                form.add_error(None, _("Permintaan tidak dapat dikirim."))
            else:
                visit_request = visit_request_create(values=form.request_values())
                messages.success(
                    request,
                    _("Permintaan terkirim. Simpan alamat halaman ini untuk melihat jawabannya."),
                )
                return redirect("public-request", token=visit_request.token)
    return render(request, "outreach/public/request_form.html", {"form": form}, status=status)


@never_cache
@public_page_required
def request_status(request, token: str):
    """The requester's page, opened by the random token in its address: the status, and the
    reason of a refusal or the day of the visit. Nothing of the requester (name, contact)."""
    visit_request = get_object_or_404(
        VisitRequest.objects.select_related("region__parent", "visit"), token=token
    )
    return render(
        request,
        "outreach/public/request_status.html",
        {"visit_request": visit_request, "number": request_number(visit_request)},
    )


@admin_required
def request_list(request):
    requests = requests_new_first(
        visit_requests_for_user(request.user).select_related("region__parent", "visit")
    )
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("halaman"))
    return render(request, "outreach/requests.html", {"page": page})


@admin_required
def request_detail(request, pk: int):
    visit_request = visit_request_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("keputusan")
    accept = RequestAcceptForm(
        request.POST if action == "terima" else None,
        visit_request=visit_request,
        today=today_jakarta(),
    )
    decline = RequestDeclineForm(request.POST if action == "tolak" else None)
    if request.method == "POST":
        decided = _decide(request, visit_request, accept if action == "terima" else decline)
        if decided:
            return redirect("outreach-request", pk=pk)
    return render(
        request,
        "outreach/request_detail.html",
        {
            "visit_request": visit_request,
            "number": request_number(visit_request),
            "accept": accept,
            "decline": decline,
        },
    )


def _decide(request, visit_request: VisitRequest, form) -> bool:
    """Apply the Admin's answer if its form is valid; True when the page should reload (done,
    or decided already by another click or Admin), False to show the form's errors."""
    if visit_request.status != VisitRequest.Status.NEW:
        messages.info(request, _("Permintaan ini sudah diputuskan."))
        return True
    if not form.is_bound or not form.is_valid():
        return False
    if isinstance(form, RequestAcceptForm):
        done = visit_request_accept(
            visit_request=visit_request, data=form.visit_data(), by=request.user
        )
        said = _("Diterima: kunjungan masuk rencana.")
    else:
        reason = form.cleaned_data["reason"]
        done = visit_request_decline(visit_request=visit_request, reason=reason, by=request.user)
        said = _("Ditolak. Pemohon membaca alasannya.")
    if done:
        messages.success(request, said)
    else:
        messages.info(request, _("Permintaan ini sudah diputuskan."))
    return True
