"""The moderators' view of who maintains which entry: the only place their name and email show.

Nothing is edited by hand: who maintains an entry is decided through claims in the queue, and
letting a maintainer's changes publish at once is an action that leaves a history record.
"""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from orgs.maintain.services import maintainer_allow_publishing
from orgs.models import Maintainer


@admin.register(Maintainer)
class MaintainerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "status", "may_publish", "name", "email", "role", "created"]
    list_filter = ["status", "may_publish"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "name", "email"]
    fields = readonly_fields = [
        "organisation",
        "status",
        "may_publish",
        "name",
        "email",
        "role",
        "created",
        "confirmed_at",
        "ended_at",
        "reminded_on",
    ]
    actions = ["allow_publishing", "stop_publishing"]

    def has_add_permission(self, request):
        return False  # a maintainer starts from a claim, never by hand

    def has_delete_permission(self, request, obj=None):
        return False

    def _publishing(self, request, queryset, allowed):
        for maintainer in queryset.select_related(None):
            maintainer_allow_publishing(
                maintainer=maintainer, moderator=request.user, allowed=allowed
            )
        self.message_user(request, f"Changed {queryset.count()} maintainer(s).", messages.SUCCESS)

    @admin.action(
        description="Let their changes to the summary, description, website, contact page, "
        "offers and looking for publish at once",
        permissions=["change"],
    )
    def allow_publishing(self, request, queryset):
        self._publishing(request, queryset, True)

    @admin.action(description="Send their changes to the queue again", permissions=["change"])
    def stop_publishing(self, request, queryset):
        self._publishing(request, queryset, False)
