"""Admin screens for what the office edits by hand: segments, targets, holder counts, regions,
holidays and officers away (the plan's capacity), officers' WhatsApp numbers, and accounts
(Django's own screens, with their changes in our audit trail)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .accounts.audit import audit
from .models import (
    Activation,
    AuditEvent,
    Holiday,
    KtpHolderCount,
    OfficerAbsence,
    OfficerContact,
    ProgressSnapshot,
    Region,
    Segment,
    Target,
)


class AuditedUserAdmin(UserAdmin):
    """Django's user screens; each change is recorded as the account page records it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            AuditEvent.Action.USER_SAVE,
            request=request,
            target=obj.get_username(),
            created=not change,
            active=obj.is_active,
            staff=obj.is_staff,
            superuser=obj.is_superuser,
        )

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if after != before:
            audit(
                AuditEvent.Action.USER_ROLES,
                request=request,
                target=form.instance.get_username(),
                roles=sorted(after),
            )

    def delete_model(self, request, obj):
        audit(AuditEvent.Action.USER_DELETE, request=request, target=obj.get_username())
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            audit(AuditEvent.Action.USER_DELETE, request=request, target=user.get_username())
        super().delete_queryset(request, queryset)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


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
    list_display = [
        "percent",
        "valid_from",
        "deadline",
        "segment",
        "denominator",
        "source_letter",
        "source_date",
        "note",
    ]
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


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Libur nasional and cuti bersama: the plan schedules no visit on them."""

    list_display = ["day", "name"]
    date_hierarchy = "day"


@admin.register(OfficerAbsence)
class OfficerAbsenceAdmin(admin.ModelAdmin):
    """An officer away (leave, training): the plan books them on none of those days."""

    list_display = ["officer", "start", "end", "reason"]
    list_filter = ["officer"]
    date_hierarchy = "start"


@admin.register(OfficerContact)
class OfficerContactAdmin(admin.ModelAdmin):
    """An officer's WhatsApp number: where the reminder of a planned visit goes."""

    list_display = ["user", "whatsapp"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "whatsapp"]
