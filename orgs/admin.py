"""The admin for organisations and their links; the queue is in orgs.submissions.admin."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

# Importing them registers the moderators' queue and the maintainers, which the admin looks
# for only here.
import orgs.maintain.admin
import orgs.submissions.admin  # noqa: F401
from orgs.models import Organisation, Relationship
from orgs.querysets import Likeness
from orgs.submissions.apply import lock_publication
from orgs.submissions.fields import entry_version

IDENTITY = ("name", "website", "charity_number", "company_number")


def changes_since(org, opened):
    """Who changed which fields of an entry since `opened` (a datetime), one phrase each."""
    records = org.history.filter(updated__gt=opened).select_related("history_user")
    phrases = []
    for record in records.order_by("history_date"):
        who = record.history_user or "someone"
        previous = record.prev_record
        if previous is None:
            what = "everything"
        else:
            changed = record.diff_against(previous, excluded_fields=["updated"]).changed_fields
            what = (
                ", ".join(str(Organisation._meta.get_field(name).verbose_name) for name in changed)
                or "its classification or links"
            )
        when = timezone.localtime(record.history_date).strftime("%H:%M on %d %b %Y")
        phrases.append(f"{who} changed {what} at {when}")
    return phrases


class OrganisationAdminForm(forms.ModelForm):
    """The change form, refused when someone saved the entry since it was opened, and when it
    would publish an organisation already on the map.

    The form carries the entry's version as it was opened; saving reads the entry's version
    under a row lock, so of two moderators saving at once the second is told, never overwrites.
    Publishing takes the same locks as approving a submission, so neither can publish a twin of
    what the other is publishing.
    """

    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    distinct = forms.BooleanField(
        label="It is a different organisation",
        required=False,
        help_text="Only when saving names an entry already on the map: tick it if this is "
        "another organisation all the same (a shared name, say).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["opened_version"] = entry_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_a_stale_save(cleaned)
        self._refuse_a_duplicate(cleaned)
        return cleaned

    def _refuse_a_duplicate(self, cleaned):
        publishing = cleaned.get("status") == Organisation.Status.PUBLISHED
        changed = not self.instance.pk or {*IDENTITY, "status"} & set(self.changed_data)
        if not publishing or not changed or self.errors:
            return
        identity = {field: cleaned.get(field) or "" for field in IDENTITY}
        lock_publication(Likeness(*identity.values()))
        exclude = [self.instance.pk] if self.instance.pk else []
        found = Organisation.objects.duplicates_of(**identity, exclude=exclude)
        if found and not cleaned.get("distinct"):
            raise ValidationError(
                "Not saved: %(name)s is already on the map as %(matches)s. Edit that entry "
                "instead, or tick “It is a different organisation” if it is one.",
                code="duplicate",
                params={
                    "name": identity["name"],
                    "matches": "; ".join(f"“{org.name}” ({why})" for org, why in found),
                },
            )

    def _refuse_a_stale_save(self, cleaned):
        now = (
            Organisation.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated", flat=True)
            .first()
        )
        opened = cleaned.get("opened_version") or ""
        if now is not None and now.isoformat() != opened:
            try:
                since = datetime.datetime.fromisoformat(opened)
            except ValueError:
                since = now - datetime.timedelta(microseconds=1)
            phrases = changes_since(self.instance, since) or ["someone changed it"]
            raise ValidationError(
                "Not saved: the entry changed since you opened it (%(changes)s). Open it again "
                "to see it as it is now, and make your changes there.",
                code="changed_since",
                params={"changes": "; ".join(phrases)},
            )


class OutgoingRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "link to another organisation"
    verbose_name_plural = "links to other organisations"


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "org_type", "region", "status", "last_verified", "needs_verification"]
    list_filter = ["status", "needs_verification", "org_type", "region", "size", "terms"]
    search_fields = ["name", "slug", "summary", "city", "charity_number", "company_number"]
    autocomplete_fields = ["terms", "offers", "looking_for"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["org_ids", "created", "updated"]
    date_hierarchy = "created"
    inlines = [OutgoingRelationshipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "summary",
                    "description",
                    "status",
                    "distinct",
                    "opened_version",
                ]
            },
        ),
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
