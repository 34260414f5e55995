"""Who may see which region: the one place that answers it for views and the API."""

import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from ..models import AuditEvent, Institution, Region, RegionClosure, Upload, Visit, VisitRequest
from ..regions import region_root
from .roles import ADMIN, PETUGAS, ROLES

REGION_CODE = re.compile(r"[0-9]{2}(\.[0-9]{1,4}){0,4}")


def user_scope(user) -> Region | None:
    """The one region a user is limited to (a kecamatan operator), or None for the whole
    kabupaten."""
    if not user.is_authenticated:
        return None
    scope = getattr(user, "scope", None)  # loaded with the user (accounts.backends)
    return scope.region if scope else None


def region_get_for_user(*, user, code: str) -> Region:
    """The region with this code if the user may see it, else Http404 (a region outside an
    operator's kecamatan is as good as not there)."""
    # Anything but a code (too long, a NUL, odd Unicode) is not looked up at all: 404.
    well_formed = isinstance(code, str) and REGION_CODE.fullmatch(code)
    # Every region page and API call starts here: as SQL, 0,2 ms; the ORM took 0,7 ms to build
    # the statement each time.
    region = None
    if well_formed:
        found = Region.objects.raw(f"SELECT * FROM {Region._meta.db_table} WHERE code = %s", [code])
        region = next(iter(found), None)
    if region is None or not user.is_authenticated:
        raise Http404("Wilayah tidak ditemukan.")
    scope = user_scope(user)
    if (
        scope is not None
        and not RegionClosure.objects.filter(ancestor=scope, descendant=region).exists()
    ):
        raise Http404("Wilayah tidak ditemukan.")
    return region


def _whole_kabupaten_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if user_scope(request.user) is not None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def user_roles(user) -> frozenset[str]:
    """The user's role groups (Staf, Pimpinan, Admin), read once per request: the user object
    is loaded afresh for each request, and the answer is kept on it."""
    if not user.is_authenticated:
        return frozenset()
    roles = getattr(user, "_ikd_roles", None)
    if roles is None:
        roles = user._ikd_roles = frozenset(user.groups.values_list("name", flat=True))
    return roles


def user_is_admin(user) -> bool:
    """Admins upload data, set targets, issue report revisions and manage users."""
    return user.is_authenticated and (user.is_superuser or ADMIN in user_roles(user))


def admin_required(view):
    """Sign-in required; signed in but not an Admin → 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- outreach visits --------------------------------------------------------------------------


def user_may_read_visits(user) -> bool:
    """Every office role reads the outreach pages (an account without a role does not)."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & set(ROLES)))


def user_may_record_visits(user) -> bool:
    """Petugas record and edit visits in their scope; Admins everywhere."""
    return user_is_admin(user) or (user.is_authenticated and PETUGAS in user_roles(user))


def _role_required(test):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


outreach_reader_required = _role_required(user_may_read_visits)
outreach_recorder_required = _role_required(user_may_record_visits)


def _codes_in_scope(user):
    """The codes of the regions in the user's scope (a subquery), or None for the kabupaten."""
    scope = user_scope(user)
    if scope is None:
        return None
    return RegionClosure.objects.filter(ancestor=scope).values("descendant_id")


def visits_for_user(user):
    """The visits this user may see: those in its scope."""
    codes = _codes_in_scope(user)
    return Visit.objects.all() if codes is None else Visit.objects.filter(region__in=codes)


def visit_get_for_user(*, user, pk: int, edit: bool = False) -> Visit:
    """The visit if the user may see it (else 404: outside the scope it is not there), and with
    `edit` may change it (else 403)."""
    visit = visits_for_user(user).select_related("region__parent").filter(pk=pk).first()
    if visit is None:
        raise Http404("Kunjungan tidak ditemukan.")
    if edit and not user_may_record_visits(user):
        raise PermissionDenied
    return visit


def visit_regions_for_user(user):
    """The desa/kelurahan where this user may record a visit."""
    desa = Region.objects.filter(level__in=(Region.Level.DESA, Region.Level.KELURAHAN))
    codes = _codes_in_scope(user)
    return desa if codes is None else desa.filter(code__in=codes)


def whole_kabupaten_admin_required(view):
    """For Admin pages that act on the whole kabupaten (targets, recomputes, official figures,
    issuing the report): an Admin limited to one kecamatan gets 403, like any non-Admin."""
    return admin_required(_whole_kabupaten_only(view))


def users_for_user(user):
    """The accounts an Admin may see and edit: all of them, or for an Admin limited to a
    kecamatan only the accounts limited to that same kecamatan."""
    scope = user_scope(user)
    users = User.objects.all()
    return users if scope is None else users.filter(scope__region=scope)


def users_editable_by(user):
    """The accounts an Admin may change: for an Admin limited to a kecamatan, only those limited
    to the same kecamatan that hold no more power than it gives — no Admin (themselves
    included), no staff or superuser account, whose powers reach past the limit."""
    users = users_for_user(user)
    if user_scope(user) is None:
        return users
    return users.exclude(is_staff=True).exclude(is_superuser=True).exclude(groups__name=ADMIN)


def uploads_for_user(user):
    """Uploads an Admin may see: all, or for a limited Admin those made by accounts limited to
    the same kecamatan (their files may hold nothing outside it, see uploads.load)."""
    scope = user_scope(user)
    uploads = Upload.objects.all()
    return uploads if scope is None else uploads.filter(uploaded_by__scope__region=scope)


def audit_for_user(user):
    """Audit entries an Admin may read: all, or those of accounts limited to the same kecamatan."""
    scope = user_scope(user)
    events = AuditEvent.objects.all()
    return events if scope is None else events.filter(user__scope__region=scope)


# --- institutions ------------------------------------------------------------------------------


def user_may_read_institutions(user) -> bool:
    """Every office role reads the institutions' progress: Staf, Pimpinan and Admin, and
    Petugas, who go to those offices and schools (an account without a role does not)."""
    return user_may_read_visits(user)


institution_reader_required = _role_required(user_may_read_institutions)


def filter_regions_for_user(user) -> tuple[Region | None, dict[str, Region]]:
    """The regions a page's region filter offers this user: the top of what it may see (its
    kecamatan, or the kabupaten) and the regions one level below it, by code."""
    top = user_scope(user) or region_root()
    if top is None:
        return None, {}
    regions = Region.objects.filter(Q(code=top.code) | Q(parent_id=top.code)).order_by(
        "depth", "name"
    )
    return top, {r.code: r for r in regions}


def institutions_for_user(user):
    """The institutions this user may see: those sitting in its scope."""
    codes = _codes_in_scope(user)
    return (
        Institution.objects.all() if codes is None else Institution.objects.filter(region__in=codes)
    )


def institution_get_for_user(*, user, code: str) -> Institution:
    """The institution with this code if the user may see it, else 404."""
    institution = (
        institutions_for_user(user).select_related("region", "segment").filter(code=code).first()
    )
    if institution is None:
        raise Http404("Instansi tidak ditemukan.")
    return institution


# --- the open page (/publik/) and the visits it lets people ask for ---------------------------


def public_page_required(view):
    """The open page is off unless PUBLIC_PAGE=True: every /publik/ URL is then 404, as if it
    did not exist. On, anyone may open it, signed in or not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PUBLIC_PAGE:
            raise Http404("Halaman tidak ditemukan.")
        return view(request, *args, **kwargs)

    return wrapped


def visit_requests_for_user(user):
    """The visit requests an Admin may decide: all, or those of desa in its kecamatan."""
    codes = _codes_in_scope(user)
    requests = VisitRequest.objects.all()
    return requests if codes is None else requests.filter(region__in=codes)


def visit_request_get_for_user(*, user, pk: int) -> VisitRequest:
    """The request if the user may see it, else 404 (another kecamatan's is not there)."""
    found = visit_requests_for_user(user).select_related("region__parent", "visit").filter(pk=pk)
    visit_request = found.first()
    if visit_request is None:
        raise Http404("Permintaan tidak ditemukan.")
    return visit_request
