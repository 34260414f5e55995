"""Dashboard pages: the kabupaten at a glance and any region below it, and their downloads."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..accounts.access import region_get_for_user, user_scope
from ..models import Region
from ..pagecache import (
    TIMEOUT_SECONDS,
    cache_is_shared,
    generation_memo,
    page_key,
    pages_generation,
)
from ..progress.disclosure import sees_small_counts
from ..progress.runs import recompute_status
from ..regions import region_root
from . import downloads
from .page import region_page_context, region_view


@login_required
def dashboard(request):
    scope = user_scope(request.user)
    if scope is not None:  # a kecamatan operator starts at their kecamatan
        return redirect("region", code=scope.code)
    generation = pages_generation()
    return _region_page(request, _root(generation), generation)


@login_required
def region_detail(request, code):
    return _region_page(request, region_get_for_user(user=request.user, code=code))


@login_required
def region_download(request, code, table, file_format):
    region = region_get_for_user(user=request.user, code=code)
    view = region_view(request, region)
    if view.progress is None or table not in downloads.TABLES:
        raise Http404(_("Tidak ada tabel untuk diunduh."))
    return downloads.table_response(
        table=table, file_format=file_format, progress=view.progress, trend=view.trend
    )


def _root(generation: int | None = None) -> Region:
    # The kabupaten changes only with the regions, which start a new generation.
    root = region_root() if generation is None else generation_memo("root", generation, region_root)
    if root is None:
        raise Http404(_("Belum ada data wilayah. Jalankan load_regions atau load_demo."))
    return root


def _region_page(request, region: Region, generation: int | None = None):
    """The page from the cache while the data behind it is unchanged (see pagecache)."""
    generation = generation or pages_generation()
    # A finished run starts a new generation: with a shared cache, its status is read once each.
    status = (
        generation_memo("recompute-status", generation, recompute_status)
        if cache_is_shared()
        else recompute_status()
    )
    key = page_key(
        generation,
        "region",
        region.code,
        get_language(),
        status.last_finished,
        status.outlines,
        status.stale,
        sees_small_counts(request.user),
        getattr(user_scope(request.user), "code", ""),
        sorted(request.GET.lists()),
    )
    page = cache.get(key)
    if page is None:
        content = region_page_context(request, region, status, generation)
        page = {
            "html": render_to_string("dashboard/_region_content.html", content),
            "charts": content["progress"] is not None,
        }
        cache.set(key, page, TIMEOUT_SECONDS)
    html = mark_safe(page["html"])  # noqa: S308 — our own template's output, kept in our cache
    return render(
        request, "dashboard/region.html", {"region": region, "page": {**page, "html": html}}
    )
