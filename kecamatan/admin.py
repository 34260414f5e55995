"""Admin screens for what the office edits by hand: segments, targets, holder counts, regions."""

from django.contrib import admin

from .models import Activation, KtpHolderCount, ProgressSnapshot, Region, Segment, Target


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    list_editable = ["name", "sort_order"]


@admin.register(KtpHolderCount)
class KtpHolderCountAdmin(admin.ModelAdmin):
    list_display = ["region", "segment", "valid_from", "holders"]
    list_filter = ["segment", "valid_from"]
    search_fields = ["region__code", "region__name"]
    raw_id_fields = ["region"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["percent", "valid_from", "deadline", "segment", "note"]
    list_filter = ["segment"]


@admin.register(Activation)
class ActivationAdmin(admin.ModelAdmin):
    """Read-only: activations come from uploads, and the NIK hash is all there is to see."""

    list_display = ["activated_on", "region", "segment", "place"]
    list_filter = ["segment", "place"]
    date_hierarchy = "activated_on"
    raw_id_fields = ["region"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are written by the recompute only."""

    list_display = ["as_of", "region", "segment", "activated", "holders", "percent", "computed_at"]
    list_filter = ["as_of", "segment"]
    raw_id_fields = ["region"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
