"""The admin for organisations and their links; the queue is in orgs.submissions.admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Importing it registers the moderators' queue, which the admin looks for only here.
import orgs.submissions.admin  # noqa: F401
from orgs.models import Organisation, Relationship


class OutgoingRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "link to another organisation"
    verbose_name_plural = "links to other organisations"


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_type", "region", "status", "last_verified", "needs_verification"]
    list_filter = ["status", "needs_verification", "org_type", "region", "size", "terms"]
    search_fields = ["name", "slug", "summary", "city", "charity_number", "company_number"]
    autocomplete_fields = ["terms", "offers", "looking_for"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["org_ids", "created", "updated"]
    date_hierarchy = "created"
    inlines = [OutgoingRelationshipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "description", "status"]}),
        ("Contact", {"fields": ["website", "contact_url", "contact_email"]}),
        ("Kind", {"fields": ["org_type", "size", "founded"]}),
        ("Place", {"fields": ["city", "region", "country", "latitude", "longitude"]}),
        ("Registration", {"fields": ["charity_number", "company_number", "org_ids"]}),
        ("Classification", {"fields": ["terms", "offers", "looking_for", "tags"]}),
        (
            "Verification",
            {
                "fields": [
                    "last_verified",
                    "needs_verification",
                    "source_urls",
                    "created",
                    "updated",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="org-ids")
    def org_ids(self, obj):
        return ", ".join(obj.identifiers) or "none (no charity or company number)"


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target", "note"]
    list_filter = ["kind"]
    list_select_related = ["source", "target"]
    search_fields = ["source__name", "target__name", "note"]
    autocomplete_fields = ["source", "target"]
