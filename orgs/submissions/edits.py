"""Suggesting an edit to an entry: the form, read against the entry as it was shown.

The form carries what it showed of the entry, signed. What the member changed is read against
that, not against the entry as it is when the form comes back, so a moderator's edit made in
between is never proposed back as the member's, and a field left alone is never proposed.
"""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from orgs.submissions.fields import ENTRY_FIELDS, SHOWN, changed_fields, organisation_as_data
from orgs.submissions.forms import OrganisationForm
from orgs.submissions.inputs import TextField

_shown_signer_salt = "orgs.submissions.suggest-edit.shown"


def shown_token(organisation, shown):
    """The entry as a member is shown it, signed, to carry in the form and compare against."""
    return signing.dumps(
        {"id": organisation.pk, "shown": shown}, salt=_shown_signer_salt, compress=True
    )


def shown_from_token(organisation, token):
    """What the form was shown of the entry, or None if the token is missing or not ours."""
    try:
        payload = signing.loads(token or "", salt=_shown_signer_salt)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("id") != organisation.pk:
        return None
    return payload.get("shown")


class EditSuggestionForm(OrganisationForm):
    """Suggest an edit to an entry (kind `edit`): prefilled, and only what changed is sent.

    The form carries the entry as it was shown, signed. What the member changed is read against
    that, not against the entry as it is when the form comes back, so a moderator's edit made
    in between is never proposed back as the member's.
    """

    note = TextField(
        label="What has changed, and how do you know? (optional)",
        max_length=2000,
        required=False,
        help_text="A link to where the new facts can be checked helps the moderators.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    shown_lost_message = (
        "We could not tell which version of the entry this form showed you, and the entry may "
        "have changed since. Check each field against the entry as it is now, then send again."
    )

    def __init__(self, *args, organisation, **kwargs):
        live = organisation_as_data(organisation)
        initial = {key: value for key, value in live.items() if key != "relationships"}
        initial["tags"] = ", ".join(live["tags"])
        for index, link in enumerate(live["relationships"]):
            initial[f"link_{index}_kind"] = link["kind"]
            initial[f"link_{index}_target"] = link["name"]
        initial["shown"] = shown_token(organisation, live)
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, organisation=organisation, **kwargs)
        self.shown_lost = False
        self.current = live
        if self.is_bound:
            shown = shown_from_token(organisation, self.data.get(self.add_prefix("shown")))
            self.shown_lost = shown is None
            self.current = live if shown is None else shown
        # A field the entry had no value for may be left empty: choosing a region (or a kind)
        # for an entry that has none is not required to correct something else.
        for name in ENTRY_FIELDS:
            if self.current.get(name) in (None, "", []):
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if self.shown_lost:
            # Shown again with a stamp of the entry as it is now: sent again, it is read
            # against what the member has now been shown.
            self.data = self.data.copy()
            self.data[self.add_prefix("shown")] = self.initial["shown"]
            self.add_error(None, ValidationError(self.shown_lost_message, code="shown_lost"))
        elif not self.errors and not changed_fields(self.current, super().submission_data()):
            raise ValidationError(
                "Nothing has changed: edit the fields that are wrong, then send the form.",
                code="unchanged",
            )
        return cleaned

    def submission_data(self):
        proposed = super().submission_data()
        changed = changed_fields(self.current, proposed)
        data = {key: proposed[key] for key in changed}
        data[SHOWN] = {key: self.current.get(key) for key in changed}
        if self.cleaned_data.get("note"):
            data["note"] = self.cleaned_data["note"]
        return data
