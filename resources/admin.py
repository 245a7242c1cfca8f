"""Resources in the admin: moderators curate the library; every change is in the history."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "publisher_name", "status", "needs_verification", "updated"]
    list_filter = ["kind", "status", "needs_verification", "free", "principles", "areas"]
    list_select_related = ["publisher"]
    search_fields = ["title", "summary", "publisher_name", "url", "slug"]
    autocomplete_fields = ["publisher", "case_organisation", "areas", "principles"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "url", "kind", "summary", "status"]}),
        ("Who publishes it", {"fields": ["publisher_name", "publisher"]}),
        ("What it helps with", {"fields": ["areas", "principles"]}),
        ("Terms of use", {"fields": ["licence", "free", "year", "language"]}),
        (
            "Case study",
            {"fields": ["case_organisation", "maturity_level", "what_changed"]},
        ),
        ("Checks", {"fields": ["needs_verification", "source_urls"]}),
    ]


def resource_admin_link(slug):
    """A shared resource in the moderators' queue: its entry once published."""
    resource = Resource.objects.filter(slug=slug).first() if slug else None
    if resource is None:
        return "A new resource (not listed yet)"
    return format_html(
        '<a href="{}">{}</a> (<a href="{}">public page</a>)',
        reverse("admin:resources_resource_change", args=[resource.pk]),
        resource.title,
        resource.get_absolute_url(),
    )
