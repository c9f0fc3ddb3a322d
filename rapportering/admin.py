from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rapportering.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    list_display = ["user", "directorate", "created_at", "revoked_at"]
    list_filter = ["directorate", "revoked_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "directorate"]
    readonly_fields = ["created_at"]
