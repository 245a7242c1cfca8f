"""What every public form shares: clean text fields, hinted checkboxes, the sender's details."""

import re
import unicodedata

from django import forms
from django.utils.html import format_html

from ethicalmap.validators import http_url_validator
from orgs.submissions.antiabuse import AntiAbuseFormMixin

# C0 and C1 controls (keeping tab and newline in multi-line text), and the bidirectional
# overrides and isolates that can make text read differently from what it is.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

PRIVACY_URL = "/privacy/"


def clean_line(value):
    """One line of text: NFC, no control characters, runs of spaces made one."""
    value = unicodedata.normalize("NFC", value or "")
    return " ".join(_CONTROL_LINE.sub(" ", value).split())


def clean_text(value):
    """Several lines of text: NFC, Windows line ends made plain, no other control characters."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_MULTILINE.sub("", value).strip()


class LineField(forms.CharField):
    """A single line of plain text, cleaned of control characters."""

    def to_python(self, value):
        return clean_line(super().to_python(value))


class TextField(forms.CharField):
    """Several lines of text, cleaned of control characters."""

    widget = forms.Textarea

    def to_python(self, value):
        return clean_text(super().to_python(value))


class WebAddressField(forms.URLField):
    """An http(s) address; `https://` is assumed when left off."""

    default_validators = [http_url_validator]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
        self.error_messages["invalid"] = (
            "Enter a web address that starts with http:// or https://, such as https://example.org."
        )

    def to_python(self, value):
        return super().to_python(clean_line(value))


class HintedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose options each carry a hint (a term's definition) read out with them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = {}
        self.children = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(value)
        if hint:
            option["hint"] = hint
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        option["is_child"] = value in self.children
        return option


class SummaryMixin:
    """What the templates need to show errors beside each field and summarised at the top."""

    def error_summary(self):
        """(anchor, label, message) for every error, in the order the fields are shown."""
        items = [(None, None, message) for message in self.non_field_errors()]
        for field in self:
            if field.is_hidden or not field.errors:
                continue
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{field.auto_id}_0"
            for message in field.errors:
                items.append((anchor, field.label, message))
        return items


class SubmitterForm(SummaryMixin, AntiAbuseFormMixin, forms.Form):
    """The person sending: private details, their connection, and their consent."""

    class Connection:
        CHOICES = [
            ("staff", "I work for it, run it or sit on its board"),
            ("member", "I volunteer for it or am a member"),
            ("funder", "I fund it, or it funds my organisation"),
            ("none", "I have no connection with it"),
            ("other", "Another connection (say which below)"),
        ]

    email_required = True

    submitter_name = LineField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name."},
        help_text="Private: only moderators see it, to ask you about this submission.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    submitter_email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address, so a moderator can reach you.",
            "invalid": "Enter an email address like name@example.org.",
        },
        help_text=(
            "Private: used only to ask you about this submission and tell you the decision. "
            "It never appears on the map."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    connection = forms.ChoiceField(
        label="Your connection with the organisation",
        choices=Connection.CHOICES,
        error_messages={"required": "Choose your connection, or “I have no connection with it”."},
        widget=forms.RadioSelect,
        help_text="We ask so moderators can weigh a conflict of interest; any answer is welcome.",
    )
    connection_detail = LineField(
        label="Your connection, in a few words (optional)",
        max_length=200,
        required=False,
    )
    consent = forms.BooleanField(
        label="I agree that the moderators may keep and use what I send as the privacy notice says",
        error_messages={
            "required": "Tick the box to agree to the privacy notice, or we cannot "
            "accept what you send."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.email_required:
            self.fields["submitter_name"].required = False
            self.fields["submitter_email"].required = False
            self.fields["submitter_email"].help_text = (
                "Optional and private: give it if you are happy for a moderator to ask you "
                "about this report. It never appears on the map."
            )
        self.fields["consent"].help_text = format_html(
            'Read the <a href="{}">privacy notice</a>: what we keep, why, and when we delete it.',
            PRIVACY_URL,
        )

    def clean_submitter_email(self):
        return (self.cleaned_data.get("submitter_email") or "").strip().lower()

    def submitter(self):
        """The private details of the person sending, as submission_create takes them."""
        labels = dict(self.Connection.CHOICES)
        connection = labels.get(self.cleaned_data.get("connection"), "")
        detail = self.cleaned_data.get("connection_detail")
        if detail:
            connection = f"{connection}: {detail}" if connection else detail
        return {
            "submitter_name": self.cleaned_data.get("submitter_name", ""),
            "submitter_email": self.cleaned_data.get("submitter_email", ""),
            "connection": connection[:300],
            "consent": bool(self.cleaned_data.get("consent")),
        }
