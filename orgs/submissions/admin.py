"""The moderators' queue in the admin: every decision goes through orgs.submissions.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, When
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import Organisation, Submission
from orgs.submissions import services
from orgs.submissions.apply import DuplicateEntry
from orgs.submissions.fields import duplicates_list, edit_diff, live_duplicates, proposed_table
from resources.admin import resource_admin_link


class DuplicateFilter(admin.SimpleListFilter):
    title = "possible duplicate"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "Looks like an entry on the map"), ("no", "No match found")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(possible_duplicate_of__isnull=self.value() == "no")
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Sent to the submitter: say why, politely, and what would change the decision.",
        error_messages={"required": "Give a reason: the submitter is sent it."},
    )


class MergeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Merge into",
        queryset=Organisation.objects.published(),
        widget=AutocompleteSelect(Submission._meta.get_field("possible_duplicate_of"), admin.site),
        help_text="The entry keeps what it has; the submission fills its empty fields and adds "
        "its terms, tags and links.",
    )


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "kind",
        "maintainer",
        "status",
        "possible_duplicate_of",
        "created",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["status", "kind", DuplicateFilter, "created"]
    list_select_related = ["organisation", "reviewed_by", "possible_duplicate_of", "maintainer"]
    search_fields = [
        "organisation__name",
        "data",
        "submitter_name",
        "submitter_email",
        "connection",
        "reason",
    ]
    # The queue: pending first, oldest first, so nothing waits forever.
    ordering = [
        Case(When(status="pending", then=0), default=1, output_field=IntegerField()).asc(),
        "created",
    ]
    date_hierarchy = "created"
    actions = ["approve_selected", "reject_selected", "mark_spam_selected"]
    change_form_template = "admin/orgs/submission/change_form.html"
    fieldsets = [
        (None, {"fields": ["kind", "maintainer", "status", "organisation_link", "created"]}),
        ("What was sent", {"fields": ["changes", "proposed"]}),
        (
            "Duplicates",
            {"fields": ["duplicates_now", "possible_duplicate_of", "pending_duplicates"]},
        ),
        (
            "Who sent it (private)",
            {"fields": ["submitter_name", "submitter_email", "connection", "consent"]},
        ),
        (
            "Decision",
            {"fields": ["reviewed_by", "reviewed_at", "reason", "personal_data_purged"]},
        ),
    ]
    readonly_fields = [
        "kind",
        "status",
        "organisation_link",
        "created",
        "changes",
        "proposed",
        "duplicates_now",
        "possible_duplicate_of",
        "pending_duplicates",
        "submitter_name",
        "submitter_email",
        "connection",
        "consent",
        "maintainer",
        "reviewed_by",
        "reviewed_at",
        "reason",
        "personal_data_purged",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "reviewed_by", "possible_duplicate_of")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Decisions are the audit trail: personal data is purged, submissions are kept.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return {}
        return actions

    # --- the change page ------------------------------------------------------------------

    @admin.display(description="entry")
    def organisation_link(self, obj):
        org, data = obj.organisation, obj.data or {}
        if obj.kind == Submission.Kind.RESOURCE:
            return resource_admin_link(data.get("resource_published_as"))
        slug = data.get("published_as") or data.get("merged_into")
        if org is None and slug:
            org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            return "A new organisation (not on the map yet)"
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            reverse("admin:orgs_organisation_change", args=[org.pk]),
            org.name,
            org.get_absolute_url(),
        )

    @admin.display(description="changes to the entry")
    def changes(self, obj):
        if obj.kind != Submission.Kind.EDIT or obj.is_decided:
            return "—"
        return edit_diff(obj, decidable=getattr(obj, "can_decide", False))

    @admin.display(description="on the map now")
    def duplicates_now(self, obj):
        found = live_duplicates(obj)
        if not found:
            return "—" if obj.is_decided or obj.kind != Submission.Kind.NEW else "No match"
        return duplicates_list(obj, found, choose=getattr(obj, "can_decide", False))

    @admin.display(description="everything sent")
    def proposed(self, obj):
        return proposed_table(obj)

    @admin.display(description="other pending submissions like it")
    def pending_duplicates(self, obj):
        if obj.kind != Submission.Kind.NEW or obj.is_decided:
            return "—"
        found = Submission.objects.pending_duplicates_of(
            name=obj.data.get("name"), website=obj.data.get("website"), exclude=obj
        )
        if not found:
            return "None"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>, sent {}</li>',
                (
                    (
                        reverse("admin:orgs_submission_change", args=[s.pk]),
                        s.data.get("name"),
                        s.created.strftime("%d %b %Y %H:%M"),
                    )
                    for s in found
                ),
            ),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_decide"] = (
            obj is not None and not obj.is_decided and self.has_change_permission(request, obj)
        )
        context["can_merge"] = context["can_decide"] and obj.kind == Submission.Kind.NEW
        if obj is not None:
            obj.can_decide = context["can_decide"]  # read by the diff and duplicates fields
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    # --- decisions: the buttons on a submission's page ------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/approve/", wrap(self.approve_view), name="orgs_submission_approve"),
            path("<int:pk>/reject/", wrap(self.reject_view), name="orgs_submission_reject"),
            path("<int:pk>/merge/", wrap(self.merge_view), name="orgs_submission_merge"),
            path("<int:pk>/spam/", wrap(self.spam_view), name="orgs_submission_spam"),
            *super().get_urls(),
        ]

    def _decidable(self, request, pk):
        submission = get_object_or_404(Submission, pk=pk)
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        return submission

    def _back_to(self, submission):
        return HttpResponseRedirect(reverse("admin:orgs_submission_change", args=[submission.pk]))

    def _refusal(self, submission, error):
        """Why a decision was refused, offering the merge when it is already on the map."""
        text = " ".join(error.messages)
        if isinstance(error, DuplicateEntry):
            return format_html(
                '{} <a href="{}">Merge it</a>.',
                text,
                reverse("admin:orgs_submission_merge", args=[submission.pk]),
            )
        return text

    def _decide(self, request, submission, decide, success):
        try:
            decide()
        except ValidationError as error:
            self.message_user(request, self._refusal(submission, error), messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return self._back_to(submission)

    def approve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        submission = self._decidable(request, pk)
        distinct_from = [v for v in request.POST.getlist("distinct_from") if v.isdigit()]
        return self._decide(
            request,
            submission,
            lambda: services.submission_approve(
                submission=submission,
                moderator=request.user,
                entry_seen=request.POST.get("entry_version") or None,
                overwrite=request.POST.getlist("overwrite"),
                distinct_from=distinct_from,
            ),
            f"Approved: {submission}.",
        )

    def spam_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        submission = self._decidable(request, pk)
        return self._decide(
            request,
            submission,
            lambda: services.submission_mark_spam(submission=submission, moderator=request.user),
            f"Marked as spam: {submission}.",
        )

    def _decision_page(self, request, template, title, form, submissions, extra=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "submissions": submissions,
            "media": self.media + form.media,
            **(extra or {}),
        }
        return TemplateResponse(request, template, context)

    def reject_view(self, request, pk):
        submission = self._decidable(request, pk)
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if request.method == "POST" and form.is_valid():
            return self._decide(
                request,
                submission,
                lambda: services.submission_reject(
                    submission=submission,
                    moderator=request.user,
                    reason=form.cleaned_data["reason"],
                ),
                f"Rejected: {submission}.",
            )
        return self._decision_page(
            request,
            "admin/orgs/submission/reject.html",
            "Reject this submission",
            form,
            [submission],
            {"action_url": reverse("admin:orgs_submission_reject", args=[submission.pk])},
        )

    def merge_view(self, request, pk):
        submission = self._decidable(request, pk)
        found = live_duplicates(submission)
        initial = {"organisation": found[0][0] if found else submission.possible_duplicate_of}
        form = MergeForm(request.POST if "organisation" in request.POST else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            target = form.cleaned_data["organisation"]
            return self._decide(
                request,
                submission,
                lambda: services.submission_merge(
                    submission=submission, organisation=target, moderator=request.user
                ),
                f"Merged into {target}.",
            )
        return self._decision_page(
            request,
            "admin/orgs/submission/merge.html",
            "Merge into an entry on the map",
            form,
            [submission],
        )

    # --- decisions: the actions on the queue ----------------------------------------------

    def _apply_to_each(self, request, queryset, decide, verb):
        done, failed = 0, []
        for submission in queryset:
            try:
                decide(submission)
            except ValidationError as error:
                failed.append(format_html("{}: {}", submission, self._refusal(submission, error)))
            else:
                done += 1
        if done:
            self.message_user(
                request, f"{verb} {done} submission{'s' if done != 1 else ''}.", messages.SUCCESS
            )
        for message in failed:
            self.message_user(
                request, format_html("Not {}: {}", verb.lower(), message), messages.WARNING
            )

    @admin.action(description="Approve selected submissions", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda s: services.submission_approve(submission=s, moderator=request.user),
            "Approved",
        )

    @admin.action(description="Reject selected submissions", permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply_to_each(
                request,
                queryset,
                lambda s: services.submission_reject(
                    submission=s, moderator=request.user, reason=reason
                ),
                "Rejected",
            )
            return None
        return self._decision_page(
            request,
            "admin/orgs/submission/reject.html",
            "Reject the selected submissions",
            form,
            list(queryset),
            {
                "action": "reject_selected",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Mark selected submissions as spam", permissions=["change"])
    def mark_spam_selected(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda s: services.submission_mark_spam(submission=s, moderator=request.user),
            "Marked as spam",
        )
