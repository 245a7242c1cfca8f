"""The principles in the admin: moderators curate them and decide on assessments and endorsements.

Every change is recorded with its moderator (SimpleHistoryAdmin, and the services behind the
actions); an assessment's or an endorsement's status changes only through those actions.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from principles import services
from principles.models import (
    Assessment,
    Endorsement,
    LevelDescriptor,
    MaturityLevel,
    Practice,
    Principle,
)


class PracticeInline(admin.TabularInline):
    model = Practice
    extra = 1


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 5


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "order", "status", "updated"]
    list_filter = ["status", "mitigates"]
    search_fields = ["title", "summary", "body"]
    autocomplete_fields = ["mitigates"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PracticeInline, LevelDescriptorInline]


@admin.register(MaturityLevel)
class MaturityLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "name"]
    search_fields = ["name", "description"]


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["text", "principle", "order"]
    list_filter = ["principle"]
    list_select_related = ["principle"]
    search_fields = ["text"]
    autocomplete_fields = ["principle"]


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(SimpleHistoryAdmin):
    list_display = ["principle", "level", "description"]
    list_filter = ["level", "principle"]
    list_select_related = ["principle"]
    search_fields = ["description", "principle__title"]
    autocomplete_fields = ["principle"]


class DecisionsAdmin(SimpleHistoryAdmin):
    """Status set when adding, then changed only by the actions (services that record who)."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else [*readonly, "status"]

    def _apply_to_each(self, request, queryset, decide, done_message):
        done = 0
        for instance in queryset:
            try:
                decide(instance)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)


def _decision_action(service, noun, *, description, done_message):
    """An admin action calling `service` on each selected row, as the moderator who chose it.

    `noun` is the service's keyword for the row ("assessment", "endorsement").
    """

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        modeladmin._apply_to_each(
            request,
            queryset.select_related("organisation", "principle"),
            lambda instance: service(**{noun: instance}, moderator=request.user),
            done_message,
        )

    return action


@admin.register(Assessment)
class AssessmentAdmin(DecisionsAdmin):
    list_display = ["organisation", "principle", "level", "status", "assessed_on"]
    list_filter = ["status", "level", "principle"]
    list_select_related = ["organisation", "principle"]
    search_fields = ["organisation__name", "principle__title", "evidence"]
    autocomplete_fields = ["organisation", "principle"]
    date_hierarchy = "assessed_on"
    actions = ["withdraw_selected", "republish_selected"]

    withdraw_selected = _decision_action(
        services.assessment_withdraw,
        "assessment",
        description="Withdraw selected assessments",
        done_message="Withdrew {count} assessment(s).",
    )
    republish_selected = _decision_action(
        services.assessment_republish,
        "assessment",
        description="Publish selected assessments again",
        done_message="Published {count} assessment(s) again.",
    )


@admin.register(Endorsement)
class EndorsementAdmin(DecisionsAdmin):
    list_display = ["organisation", "principle", "status", "created"]
    list_filter = ["status", "principle"]
    list_select_related = ["organisation", "principle"]
    search_fields = ["organisation__name", "principle__title", "statement"]
    autocomplete_fields = ["organisation", "principle"]
    actions = ["withdraw_selected", "republish_selected"]

    withdraw_selected = _decision_action(
        services.endorsement_withdraw,
        "endorsement",
        description="Withdraw selected endorsements",
        done_message="Withdrew {count} endorsement(s).",
    )
    republish_selected = _decision_action(
        services.endorsement_republish,
        "endorsement",
        description="Publish selected endorsements again",
        done_message="Published {count} endorsement(s) again.",
    )
