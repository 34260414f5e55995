"""Template variables every page needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..models import VisitRequest
from .access import (
    user_is_admin,
    user_may_read_institutions,
    user_may_read_visits,
    user_may_record_visits,
    user_scope,
    visit_requests_for_user,
)


def _new_visit_requests(user) -> int:
    """Requests from the open page waiting for an Admin's decision (the outreach menu's count)."""
    if not user_is_admin(user):
        return 0
    return visit_requests_for_user(user).filter(status=VisitRequest.Status.NEW).count()


def roles(request):
    return {
        "is_admin": SimpleLazyObject(lambda: user_is_admin(request.user)),
        "whole_kabupaten": user_scope(request.user) is None,
        "may_read_visits": SimpleLazyObject(lambda: user_may_read_visits(request.user)),
        "may_record_visits": SimpleLazyObject(lambda: user_may_record_visits(request.user)),
        "may_read_institutions": SimpleLazyObject(lambda: user_may_read_institutions(request.user)),
        "public_page": settings.PUBLIC_PAGE,
        "new_visit_requests": SimpleLazyObject(lambda: _new_visit_requests(request.user)),
    }
