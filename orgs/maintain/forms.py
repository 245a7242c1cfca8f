"""The maintainer's forms: claim an entry, ask for a link, propose changes, hand on, archive."""

from django import forms

from orgs.submissions.antiabuse import AntiAbuseFormMixin
from orgs.submissions.edits import EditSuggestionForm
from orgs.submissions.inputs import LineField, SummaryMixin, TextField

ABOUT_YOU = (
    "submitter_name",
    "submitter_email",
    "connection",
    "connection_detail",
    "consent",
)


class ClaimForm(SummaryMixin, AntiAbuseFormMixin, forms.Form):
    """Claim an entry: who you are, your work email and your role; evidence for a moderator."""

    name = LineField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        error_messages={
            "required": "Enter your work email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
        help_text="At the organisation's own domain, we can send you a link at once; "
        "otherwise a moderator checks your claim first.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    role = LineField(
        label="Your role at the organisation",
        max_length=200,
        error_messages={"required": "Enter your role, such as “Director” or “Comms lead”."},
    )
    evidence = TextField(
        label="How can a moderator check you work there? (optional)",
        max_length=2000,
        required=False,
        help_text="A staff page that lists you, say. Only needed when your email is not at "
        "the organisation's domain.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="I agree that the map keeps my name and email, privately, while I look after "
        "the entry",
        error_messages={"required": "Tick the box to agree, or we cannot accept the claim."},
    )


class LinkRequestForm(SummaryMixin, AntiAbuseFormMixin, forms.Form):
    """Ask for a new sign-in link, by the email the entry's maintainer uses."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "Enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class HandOnForm(forms.Form):
    name = LineField(label="Your colleague's name", max_length=200)
    email = forms.EmailField(label="Your colleague's work email address", max_length=254)
    role = LineField(label="Their role (optional)", max_length=200, required=False)


class ArchiveForm(forms.Form):
    details = TextField(
        label="Why should the entry come off the map?",
        max_length=2000,
        error_messages={"required": "Say why, such as “We closed in March”."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MaintainerEditForm(EditSuggestionForm):
    """The suggest-edit form as a maintainer sees it: read against what they were shown, with no
    questions about who they are (the link said so)."""

    # The fill time and the single-use stamp guard anonymous forms; a maintainer's session,
    # opened by a single-use link, is the guard here.
    guarded = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ABOUT_YOU:
            del self.fields[name]
