"""The moderators' view of who maintains which entry: the only place their name and email show."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import Maintainer


@admin.register(Maintainer)
class MaintainerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "status", "name", "email", "role", "confirmed_at", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "name", "email"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created", "confirmed_at", "ended_at", "reminded_on"]

    def has_add_permission(self, request):
        return False  # a maintainer starts from a claim, never by hand
