from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rapportering.models import CalendarFeed, Contribution, FinalReport, ReportRound


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    """Addresses are made by their owners on the calendar page, under the owner's role; here
    they are seen and revoked."""

    list_display = ["user", "directorate", "role", "created_at", "revoked_at"]
    list_filter = ["directorate", "revoked_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "directorate"]
    readonly_fields = ["user", "directorate", "role", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReportRound)
class ReportRoundAdmin(SimpleHistoryAdmin):
    """The state is shown, never changed here: only finalising and a correction with its
    reason (rapportering.services) move a round, so a finalised round is not reopened
    behind the record's back. A finalised round is read-only altogether: its texts are
    those of the record until a correction opens it."""

    list_display = ["plan", "year", "state", "internal_deadline", "ministry_deadline"]
    list_filter = ["state", "plan"]
    list_select_related = ["plan"]
    readonly_fields = ["state", "correction_reason", "opened_by", "opened_at"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["round", "measure", "directorate", "delivered_at", "updated_by"]
    list_filter = ["round", "directorate"]
    list_select_related = ["round__plan", "measure", "directorate", "updated_by"]
    readonly_fields = ["delivered_at", "delivered_by", "updated_by", "updated_at"]


@admin.register(FinalReport)
class FinalReportAdmin(admin.ModelAdmin):
    """Finalised reports are records: the admin shows them and changes nothing."""

    list_display = ["round", "version", "finalised_by", "finalised_at", "checksum"]
    list_select_related = ["round__plan", "finalised_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
