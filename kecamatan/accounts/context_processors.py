"""Template variables every page needs."""

from django.utils.functional import SimpleLazyObject

from .access import user_is_admin, user_scope


def roles(request):
    return {
        "is_admin": SimpleLazyObject(lambda: user_is_admin(request.user)),
        "whole_kabupaten": user_scope(request.user) is None,
    }
