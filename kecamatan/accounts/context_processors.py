"""Template variables every page needs."""

from django.utils.functional import SimpleLazyObject

from .access import (
    user_is_admin,
    user_may_read_institutions,
    user_may_read_visits,
    user_may_record_visits,
    user_scope,
)


def roles(request):
    return {
        "is_admin": SimpleLazyObject(lambda: user_is_admin(request.user)),
        "whole_kabupaten": user_scope(request.user) is None,
        "may_read_visits": SimpleLazyObject(lambda: user_may_read_visits(request.user)),
        "may_record_visits": SimpleLazyObject(lambda: user_may_record_visits(request.user)),
        "may_read_institutions": SimpleLazyObject(lambda: user_may_read_institutions(request.user)),
    }
