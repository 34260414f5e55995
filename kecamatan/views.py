"""Dashboard pages: the kabupaten at a glance and any region below it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts
from .access import region_get_for_user
from .models import Region
from .progress import progress_for_region, progress_trend
from .regions import region_root


@login_required
def dashboard(request):
    root = region_root()
    if root is None:
        raise Http404(_("Belum ada data wilayah. Jalankan load_regions atau load_demo."))
    return _region_page(request, root)


@login_required
def region_detail(request, code):
    return _region_page(request, region_get_for_user(user=request.user, code=code))


def _region_page(request, region: Region):
    progress = progress_for_region(region=region)
    context = {"region": region, "progress": progress, "breadcrumbs": _ancestors(region)}
    if progress is not None:
        trend = progress_trend(
            region=region, as_of=progress.as_of, holders=progress.totals["holders"] or 0
        )
        context["gap_chart"] = charts.gap_chart(progress)
        context["trend_chart"] = charts.trend_chart(progress, trend)
        context["children"] = sorted(progress.children, key=lambda c: -(c["gap_people"] or 0))
        levels = {c["level"] for c in progress.children}
        # "Kecamatan", or "Desa/Kelurahan" when a kecamatan has both kinds.
        context["child_level"] = "/".join(
            str(Region.Level(level).label) for level in sorted(levels)
        )
    return render(request, "kecamatan/region.html", context)


def _ancestors(region: Region) -> list[Region]:
    return list(
        Region.objects.filter(descendant_links__descendant=region)
        .exclude(code=region.code)
        .order_by("depth")
    )
