"""A region page's figures and what it shows of them: the filters from the URL, the figures they
select (in a fixed number of queries), and the context the region template renders. The views
(views.py) parse the request, keep pages in the cache and render; this module builds."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..accounts.access import user_scope
from ..models import Region, RegionClosure, Segment, Target
from ..outreach.plan import forecast_sentences, latest_forecast
from ..pagecache import (
    generation_memo,
    pages_generation,
)
from ..peers.sentences import standing_words
from ..progress.datadate import data_ahead_in
from ..progress.disclosure import progress_for_viewer
from ..progress.reconcile import reconciliation_rows
from ..progress.runs import recompute_status
from ..progress.selectors import (
    RegionProgress,
    Trend,
    milestone_status,
    progress_for_region,
    progress_trend,
)
from ..regions import region_url
from ..vocabulary import gap_sum_explanation, projection_of
from . import charts, maps
from .forms import ViewFilterForm


@dataclass
class RegionView:
    """A region as one page shows it: the filters from the URL and the figures they select."""

    form: ViewFilterForm
    progress: RegionProgress | None
    trend: Trend | None
    order: str
    ancestors: list[Region]
    outlines: dict[str, dict]  # child code → GeoJSON geometry, for the children that have one


def region_view(request, region: Region, status=None, generation=None) -> RegionView:
    """The figures a page (or a download) shows, in a fixed number of queries; what only a data
    change alters (segments, targets, the region's family) read once per data generation."""
    status = status or recompute_status()
    generation = generation or pages_generation()
    version = (generation, status.last_finished, status.outlines)
    segments = generation_memo(
        "segments", version, lambda: list(Segment.objects.values_list("code", "name"))
    )
    form = ViewFilterForm(request.GET, segments=segments, latest=status.latest_as_of)
    segment = form.choice("segmen")
    as_of = form.choice("tanggal") or status.latest_as_of
    family = generation_memo(("family", region.code), version, lambda: _family(region))
    children = [r for r in family if r.parent_id == region.code]
    every_target = generation_memo("targets", version, _targets)
    targets = [t for t in every_target if t.valid_from <= as_of] if as_of else []
    progress = progress_for_viewer(
        progress_for_region(
            region=region,
            as_of=as_of,
            segment=segment,
            children=children,
            segment_names=segments,
            targets=targets,
        ),
        user=request.user,
        generation=generation,
    )
    trend = None
    if progress is not None and progress.totals.get("masked"):
        # A desa × segment of a handful of people has no trend to show Staf: it would count them.
        trend = Trend(months=[], cumulative=[], trajectories=[])
    elif progress is not None:
        trend = progress_trend(
            region=region,
            as_of=progress.as_of,
            holders=progress.totals["holders"] or 0,
            segment=segment,
            targets=targets,
        )
    return RegionView(
        form=form,
        progress=progress,
        trend=trend,
        order=form.choice("urut") or "kekurangan",
        ancestors=[r for r in family if r.parent_id != region.code],
        # A child without an outline has no `boundary` (the reverse one-to-one raises).
        outlines={r.code: r.boundary.geometry for r in children if hasattr(r, "boundary")},
    )


def _targets() -> list[Target]:
    """Every target version, oldest first: those valid on a date are its first ones."""
    return list(Target.objects.order_by("valid_from", "pk"))


def _family(region: Region) -> list[Region]:
    """The region's ancestors (root first) and its children (by code), with their outlines."""
    ancestors = RegionClosure.objects.filter(descendant_id=region.code).exclude(
        ancestor_id=region.code
    )
    return list(
        Region.objects.filter(
            Q(parent_id=region.code) | Q(code__in=ancestors.values("ancestor_id"))
        )
        .select_related("boundary")
        .order_by("depth", "code")
    )


def region_page_context(request, region: Region, status, generation) -> dict:
    view = region_view(request, region, status, generation)
    progress = view.progress
    version = (generation, status.last_finished, status.outlines)
    segment_field = view.form["segmen"]
    context = {
        "region": region,
        "form": view.form,
        # Django renders a select through a template per option: a dozen of them cost as much
        # as a table. Its HTML follows from the segments, the language, the value and errors.
        "segment_select": generation_memo(
            (
                "segment-select",
                get_language(),
                repr(segment_field.value()),
                bool(segment_field.errors),
            ),
            version,
            lambda: str(segment_field),
        ),
        "order": view.order,
        "progress": progress,
        "breadcrumbs": view.ancestors,
        # Above an operator's own kecamatan the trail is shown, not linked: those pages are shut.
        "linked_from_depth": getattr(user_scope(request.user), "depth", 0),
        "stale": status.stale,
        "fresh_hours": status.fresh_hours,
        "last_finished": status.last_finished,
        "reconciliation": generation_memo(
            ("reconciliation", region.code),
            version,
            lambda: reconciliation_rows(region_code=region.code, limit=3),
        ),
        "query": request.GET.urlencode(),
        # The date box shows dd/mm/yyyy whatever was typed or linked (ISO links keep working).
        "date_shown": view.form.data.get("tanggal", "")
        if view.form.errors.get("tanggal")
        else f"{progress.as_of:%d/%m/%Y}"
        if progress
        else "",
        "sort_links": [
            {
                "value": value,
                "label": label,
                "active": value == view.order,
                "query": _query_with(request, urut=value),
            }
            for value, label in ViewFilterForm.ORDERS
        ],
    }
    if progress is not None:
        if view.order == "persen":
            key = lambda c: (c["percent"] is None, c["percent"] or 0)  # noqa: E731
        else:
            key = lambda c: -(c["gap_people"] or 0)  # noqa: E731
        children = sorted(
            (
                {**c, "status": milestone_status(c), "url": region_url(c["code"])}
                for c in progress.children
            ),
            key=key,
        )
        is_latest = progress.as_of == status.latest_as_of
        # Where the team's plan leads, beside the straight line: on the latest figures of all
        # segments only (the plan is the team's, not a segment's).
        plan = latest_forecast(region) if is_latest and not progress.segment else None
        # "Kecamatan", or "Desa/Kelurahan" when a kecamatan has both kinds.
        levels = sorted({c["level"] for c in progress.children})
        child_level = "/".join(str(Region.Level(level).label) for level in levels)
        context.update(
            children=children,
            is_latest=is_latest,
            # What runs past the date the figures are for: named, so nobody thinks it is lost.
            data_ahead=data_ahead_in(status.ahead, region=region) if is_latest else [],
            projection=projection_of(progress.totals),
            gap_explanation=None
            if progress.segment
            else gap_sum_explanation(
                total=progress.totals, parts=progress.segments, unit=_("segmen")
            ),
            milestone=milestone_status(progress.totals),
            segment_name=dict(view.form.fields["segmen"].choices).get(progress.segment),
            gap_chart=charts.gap_chart(progress, order=view.order),
            trend_chart=charts.trend_chart(progress, view.trend, fan=plan.fan if plan else None),
            plan_sentences=forecast_sentences(plan) if plan else [],
            # Our rank among the province's kabupaten/kota: on the kabupaten's own page.
            peers=standing_words() if region.parent_id is None and is_latest else None,
            segment_chart=charts.segment_chart(progress),
            monthly_chart=charts.monthly_chart(progress, view.trend),
            map=maps.region_map(progress, view.outlines),
            child_level=child_level,
            children_hidden=any(c.get("masked") for c in progress.children),
            children_gap_explanation=gap_sum_explanation(
                total=progress.totals, parts=progress.children, unit=child_level.lower()
            ),
            monthly_rows=list(
                zip(view.trend.months, view.trend.monthly, view.trend.cumulative, strict=True)
            ),
        )
    return context


def _query_with(request, **changes) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()
