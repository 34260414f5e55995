"""Dashboard pages: the kabupaten at a glance and any region below it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts
from .access import region_get_for_user
from .jobs import recompute_status
from .models import Region
from .progress import milestone_status, progress_for_region, progress_trend
from .reconcile import reconciliation_rows
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
    status = recompute_status()
    progress = progress_for_region(region=region, as_of=status.latest_as_of)
    context = {
        "region": region,
        "progress": progress,
        "breadcrumbs": _ancestors(region),
        "stale": status.stale,
        "last_finished": status.last_finished,
        "reconciliation": reconciliation_rows(region_code=region.code, limit=3),
    }
    if progress is not None:
        trend = progress_trend(
            region=region, as_of=progress.as_of, holders=progress.totals["holders"] or 0
        )
        context["gap_chart"] = charts.gap_chart(progress)
        context["trend_chart"] = charts.trend_chart(progress, trend)
        context["milestone"] = milestone_status(progress.totals)
        context["children"] = sorted(
            ({**c, "status": milestone_status(c)} for c in progress.children),
            key=lambda c: -(c["gap_people"] or 0),
        )
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
