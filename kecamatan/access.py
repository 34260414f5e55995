"""Who may see which region: the one place that answers it for views and the API."""

from django.http import Http404

from .models import Region


def region_get_for_user(*, user, code: str) -> Region:
    """The region with this code if the user may see it, else Http404.

    Every signed-in user of the office sees every region today; a kecamatan operator limited to
    one kecamatan will be answered here too.
    """
    region = Region.objects.filter(code=code).select_related("parent").first()
    if region is None or not user.is_authenticated:
        raise Http404("Wilayah tidak ditemukan.")
    return region
