"""Small counts: a desa × segment cell with fewer than 5 people can point at a person (the one
TNI member of a desa, say). Staf see such counts as "<5" and nothing derived from them; Admin
and Pimpinan, who answer for the data, see them as they are. One place for pages, downloads
and the API."""

from dataclasses import replace

from ..models import Region
from ..progress.selectors import RegionProgress
from .access import user_is_admin, user_roles
from .roles import PIMPINAN

SMALL = 5
SHOWN_AS = "<5"
COUNTS = ("holders", "activated")
# Figures from which a small count could be worked back out.
DERIVED = (
    "percent",
    "target_people",
    "gap_people",
    "pace_30d_per_day",
    "pace_7d_per_day",
    "needed_per_day",
    "needed_per_month",
    "needed_per_working_day",
    "projected_date",
    "start_level",
    "milestone_people",
)
DESA_LEVELS = (Region.Level.DESA, Region.Level.KELURAHAN)


def sees_small_counts(user) -> bool:
    return user_is_admin(user) or PIMPINAN in user_roles(user)


def masked_cell(figures: dict, shown_as: str | None = SHOWN_AS) -> dict:
    """The figures of one desa × segment cell, small counts hidden (as `shown_as`)."""
    small = [k for k in COUNTS if figures.get(k) is not None and 0 < figures[k] < SMALL]
    if not small:
        return figures
    hidden = dict.fromkeys(small, shown_as)
    return {**figures, **hidden, **dict.fromkeys(DERIVED), "masked": True}


def progress_for_viewer(
    progress: RegionProgress | None, *, user, shown_as: str | None = SHOWN_AS
) -> RegionProgress | None:
    """The progress as this user may see it (unchanged for Admin and Pimpinan). Pages show a
    hidden count as "<5"; the API gives null (shown_as=None) so its numbers stay numbers."""
    if progress is None or sees_small_counts(user):
        return progress
    region_is_desa = progress.region.level in DESA_LEVELS
    segments = progress.segments
    if region_is_desa:
        segments = [masked_cell(s, shown_as) for s in segments]
    totals = progress.totals
    if region_is_desa and progress.segment:
        totals = masked_cell(totals, shown_as)
    children = progress.children
    if progress.segment:
        children = [masked_cell(c, shown_as) if c["level"] in DESA_LEVELS else c for c in children]
    return replace(progress, totals=totals, segments=segments, children=children)
