"""The Django admin for every model, each with search, filters and its history."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tiltak.models import (
    Actor,
    ActorAlias,
    Goal,
    Measure,
    Milestone,
    Occurrence,
    Part,
    Plan,
    PlanActor,
    Responsibility,
    User,
)

# A technical tool for operation and troubleshooting: users, roles and plans are managed in the
# application's own pages, which meet WCAG 2.1 AA (see tiltak/accessibility.py).
admin.site.site_header = _("Bolig for velferd – technical administration")
admin.site.site_title = _("Bolig for velferd")
admin.site.index_title = _(
    "Technical administration, for operation and troubleshooting. Users, roles and plans are "
    "managed in the application itself."
)


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "is_coordinator", "org_number"]
    list_filter = ["kind", "is_coordinator"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [ActorAliasInline]


@admin.register(ActorAlias)
class ActorAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "actor"]
    list_filter = ["actor__kind"]
    search_fields = ["name", "actor__name", "actor__short_name"]
    list_select_related = ["actor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "get_full_name", "email", "directorate", "is_active", "is_staff"]
    list_filter = ["groups", "directorate", "is_active", "is_staff"]
    list_select_related = ["directorate"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Directorate"), {"fields": ["directorate"]}),
    ]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]
    list_select_related = ["parent"]


class PlanActorInline(admin.TabularInline):
    model = PlanActor
    extra = 0
    autocomplete_fields = ["actor"]


class PartInline(admin.TabularInline):
    model = Part
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "start", "end", "state"]
    list_filter = ["state"]
    search_fields = ["title", "slug", "source"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartInline, PlanActorInline]


@admin.register(Part)
class PartAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["code", "title"]
    list_select_related = ["plan"]


@admin.register(PlanActor)
class PlanActorAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["actor__name", "actor__short_name"]
    list_select_related = ["actor", "plan"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["actor"]


class MilestoneInline(admin.StackedInline):
    model = Milestone
    extra = 0
    autocomplete_fields = ["responsible"]
    show_change_link = True


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "part"]
    list_filter = ["plan", "responsibilities__actor", "goals"]
    search_fields = ["number", "title", "purpose", "contributions"]
    list_select_related = ["plan", "part"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["goals"]
    inlines = [ResponsibilityInline, MilestoneInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "actor", "role"]
    list_filter = ["role", "actor", "measure__plan"]
    search_fields = ["measure__number", "measure__title", "actor__name", "actor__short_name"]
    list_select_related = ["measure", "actor"]


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ["year", "planned_date", "status", "assessment", "new_date"]
    readonly_fields = ["status", "assessment", "new_date"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["text", "due_text", "measure", "responsible"]
    list_filter = ["measure__plan", "responsible"]
    search_fields = ["text", "due_text", "measure__number", "measure__title"]
    list_select_related = ["measure", "responsible"]
    autocomplete_fields = ["measure", "responsible"]
    inlines = [OccurrenceInline]


@admin.register(Occurrence)
class OccurrenceAdmin(SimpleHistoryAdmin):
    """Status is reported in the application (tiltak.views.occurrence_status), where
    updates are guarded against overwriting each other; here it can be read."""

    list_display = ["milestone", "year", "planned_date", "new_date", "status", "assessment"]
    list_filter = ["status", "assessment", "year", "milestone__measure__plan"]
    search_fields = ["milestone__text", "milestone__measure__number", "comment"]
    list_select_related = ["milestone"]
    autocomplete_fields = ["milestone"]
    readonly_fields = [
        *Occurrence.STATUS_FIELDS,
        "version",
        "updated_by",
        "updated_at",
        "carried_over_to",  # set when its plan is closed (tiltak.services.plan_close)
    ]
