"""Template variables about the figures that every signed-in page shows."""

from django.utils.functional import SimpleLazyObject

from .freshness import data_freshness


def freshness(request):
    """The stale-data banner's facts (base.html), read only when a page shows the banner."""
    if not request.user.is_authenticated:
        return {}
    return {"data_freshness": SimpleLazyObject(data_freshness)}
