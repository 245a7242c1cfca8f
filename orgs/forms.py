"""The public forms: add an organisation, suggest an edit, report an entry, self-assess.

Each form validates what a person typed and turns it into the JSON `data` of one Submission
(`submission_data()`); nothing here writes to the database. Every field has a length limit, text is
normalised (NFC, control and bidirectional-override characters removed) and web addresses must be
http or https.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.html import format_html

from ethicalmap.validators import http_url_validator
from orgs import identifiers
from orgs.antiabuse import AntiAbuseFormMixin
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand

# C0 and C1 controls (keeping tab and newline in multi-line text), and the bidirectional
# overrides and isolates that can make text read differently from what it is.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

PRIVACY_URL = "/privacy/"
CRITERIA_URL = "/criteria/"
MAX_TAGS = 10
MAX_TAG_LENGTH = 50
NEW_LINK_ROWS = 3
DATALIST_LIMIT = 1000
# The vocabularies the public forms classify an organisation by.
FORM_VOCABULARIES = ("consequences", "activities")
HELP_VOCABULARY = "help"


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


def term_tree(terms):
    """Terms in reading order: each broad term followed by its narrower terms."""
    parents = sorted((t for t in terms if t.parent_id is None), key=lambda t: (t.order, t.name))
    children = {}
    for term in terms:
        if term.parent_id is not None:
            children.setdefault(term.parent_id, []).append(term)
    ordered = []
    for parent in parents:
        ordered.append(parent)
        ordered.extend(sorted(children.get(parent.pk, []), key=lambda t: (t.order, t.name)))
    known = {t.pk for t in ordered}
    ordered.extend(t for t in terms if t.pk not in known)  # orphans, if any
    return ordered


def published_names():
    """Names for the datalist of the relationship fields (bounded: it is sent with the page)."""
    return list(
        Organisation.objects.published()
        .order_by("name")
        .values_list("name", flat=True)[:DATALIST_LIMIT]
    )


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


class OrganisationForm(SubmitterForm):
    """Add an organisation to the map (kind `new`)."""

    name = LineField(
        label="Name of the organisation",
        max_length=200,
        error_messages={"required": "Enter the name of the organisation."},
        help_text="As the organisation writes it, such as “Full Fact” or “AbilityNet”.",
    )
    website = WebAddressField(
        label="Website",
        required=False,
        help_text="The organisation's own site, such as https://example.org.",
    )
    summary = LineField(
        label="What it does, in a sentence or two",
        max_length=300,
        error_messages={"required": "Say in a sentence or two what the organisation does."},
        help_text="Up to 300 characters, such as “Fact-checks claims made by politicians and "
        "the media, and campaigns for better information.”",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = TextField(
        label="More about it (optional)",
        max_length=5000,
        required=False,
        help_text="Up to 5,000 characters. You can use Markdown: *emphasis*, lists and links.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    org_type = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose one")] + list(OrgType.choices),
        error_messages={"required": "Choose the kind of organisation."},
    )
    size = forms.ChoiceField(
        label="How many people work there (optional)",
        choices=[("", "Not sure")] + list(SizeBand.choices),
        required=False,
    )
    founded = forms.IntegerField(
        label="Year founded (optional)",
        min_value=1800,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    city = LineField(label="Town or city (optional)", max_length=100, required=False)
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Choose one")] + list(Region.choices),
        error_messages={"required": "Choose where it is based, or UK-wide or International."},
        help_text="Where it is based; choose UK-wide or International if it has no one home.",
    )
    charity_number = LineField(
        label="Registered charity number (optional)",
        max_length=20,
        required=False,
        help_text="England and Wales: 6 or 7 digits; Scotland: SC and 6 digits; "
        "Northern Ireland: NIC and 6 digits.",
    )
    company_number = LineField(
        label="Companies House number (optional)",
        max_length=20,
        required=False,
        help_text="8 digits, or 2 letters and 6 digits, such as 08030289 or SC123456.",
    )
    contact_url = WebAddressField(
        label="Public contact page (optional)",
        required=False,
        help_text="A page where people can get in touch. Not an email address: the map shows it.",
    )
    consequences = forms.MultipleChoiceField(
        label="Which unintended consequences of technology does it work on?",
        widget=HintedCheckboxes,
        help_text="Tick all that apply. The map lists organisations that work on at least one.",
        error_messages={"required": "Tick at least one consequence the organisation works on."},
    )
    activities = forms.MultipleChoiceField(
        label="How does it work on them? (optional)",
        widget=HintedCheckboxes,
        required=False,
        help_text="Tick all that apply.",
    )
    offers = forms.MultipleChoiceField(
        label="What can it offer others? (optional)",
        widget=HintedCheckboxes,
        required=False,
    )
    looking_for = forms.MultipleChoiceField(
        label="What is it looking for? (optional)",
        widget=HintedCheckboxes,
        required=False,
    )
    tags = LineField(
        label="Tags (optional)",
        max_length=500,
        required=False,
        help_text=f"Words people might search for, separated by commas: up to {MAX_TAGS}.",
    )

    field_order = [
        "name", "website", "summary", "description", "org_type", "size", "founded", "city",
        "region", "charity_number", "company_number", "contact_url", "consequences",
        "activities", "offers", "looking_for", "tags",
    ]  # fmt: skip

    def __init__(self, *args, organisation=None, **kwargs):
        self.organisation = organisation
        self._current_links = self._links_of(organisation) if organisation else []
        super().__init__(*args, **kwargs)
        this_year = datetime.date.today().year
        self.fields["founded"].validators.append(MaxValueValidator(this_year))
        self.fields["founded"].widget.attrs["max"] = this_year
        self._set_term_choices()
        self.link_rows = []
        for index in range(max(NEW_LINK_ROWS, len(self._current_links) + 2)):
            kind = forms.ChoiceField(
                label="How it is linked",
                choices=[("", "Choose a link")] + list(Relationship.Kind.choices),
                required=False,
            )
            target = LineField(
                label="Organisation on the map",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"list": "org-names", "autocomplete": "off"}),
            )
            self.fields[f"link_{index}_kind"] = kind
            self.fields[f"link_{index}_target"] = target
            self.link_rows.append((f"link_{index}_kind", f"link_{index}_target"))
        self.order_fields([*self.field_order, *(name for row in self.link_rows for name in row)])
        self._targets = {}

    @staticmethod
    def _links_of(organisation):
        return list(
            organisation.outgoing.filter(target__status="published")
            .select_related("target")
            .order_by("target__name", "kind")
        )

    def _set_term_choices(self):
        from taxonomy.models import Term

        terms = list(
            Term.objects.filter(vocabulary__slug__in=(*FORM_VOCABULARIES, HELP_VOCABULARY))
            .select_related("vocabulary")
            .order_by("order", "name")
        )
        by_vocabulary = {}
        for term in terms:
            by_vocabulary.setdefault(term.vocabulary.slug, []).append(term)
        for name, vocabulary in (
            ("consequences", "consequences"),
            ("activities", "activities"),
            ("offers", HELP_VOCABULARY),
            ("looking_for", HELP_VOCABULARY),
        ):
            ordered = term_tree(by_vocabulary.get(vocabulary, []))
            field = self.fields[name]
            field.choices = [(t.slug, t.name) for t in ordered]
            field.widget.hints = {t.slug: t.definition for t in ordered}
            field.widget.children = {t.slug for t in ordered if t.parent_id}
        self.term_names = {t.slug: t.name for t in terms}

    def link_fields(self):
        """The relationship rows as pairs of bound fields, for the template."""
        return [(self[kind], self[target]) for kind, target in self.link_rows]

    def clean_charity_number(self):
        return identifiers.normalise_charity_number(self.cleaned_data.get("charity_number"))

    def clean_company_number(self):
        return identifiers.normalise_company_number(self.cleaned_data.get("company_number"))

    def clean_tags(self):
        raw = self.cleaned_data.get("tags", "")
        tags = []
        for part in raw.split(","):
            tag = part.strip().strip('"').strip()
            if not tag:
                continue
            if len(tag) > MAX_TAG_LENGTH:
                raise ValidationError(
                    f"Keep each tag under {MAX_TAG_LENGTH} characters; “{tag[:20]}…” is longer."
                )
            if tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"Give up to {MAX_TAGS} tags; you gave {len(tags)}.")
        return tags

    def clean(self):
        cleaned = super().clean()
        for kind_name, target_name in self.link_rows:
            kind, target = cleaned.get(kind_name), cleaned.get(target_name)
            if not kind and not target:
                continue
            if not kind:
                self.add_error(kind_name, "Choose how the organisations are linked.")
                continue
            if not target:
                self.add_error(target_name, "Give the name of an organisation on the map.")
                continue
            matches = list(
                Organisation.objects.published().filter(name__iexact=target).only("slug", "name")
            )
            if not matches:
                self.add_error(
                    target_name,
                    f"“{target}” is not on the map. Check the spelling, or leave it out and "
                    "tell us about it in another submission.",
                )
            elif len(matches) > 1:
                self.add_error(
                    target_name, f"More than one organisation is called “{target}”; tell us more."
                )
            elif self.organisation and matches[0].pk == self.organisation.pk:
                self.add_error(target_name, "An organisation cannot be linked to itself.")
            else:
                self._targets[target_name] = matches[0]
        return cleaned

    def relationships(self):
        links = []
        for kind_name, target_name in self.link_rows:
            target = self._targets.get(target_name)
            kind = self.cleaned_data.get(kind_name)
            if target and kind:
                link = {"kind": kind, "organisation": target.slug, "name": target.name}
                if link not in links:
                    links.append(link)
        return links

    def submission_data(self):
        """The proposed organisation, as JSON-friendly values (terms by slug)."""
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "name", "website", "summary", "description", "org_type", "size", "founded",
                "city", "region", "charity_number", "company_number", "contact_url",
                "consequences", "activities", "offers", "looking_for", "tags",
            )
        }  # fmt: skip
        data["relationships"] = self.relationships()
        return data


# Fields of an entry a suggested edit may change, as the forms name them.
EDITABLE_FIELDS = (
    "name", "website", "summary", "description", "org_type", "size", "founded", "city", "region",
    "charity_number", "company_number", "contact_url", "consequences", "activities", "offers",
    "looking_for", "tags", "relationships",
)  # fmt: skip


def organisation_as_data(organisation):
    """An entry in the shape of a submission's data, so the two can be compared field by field."""
    terms = list(organisation.terms.all())
    links = OrganisationForm._links_of(organisation)
    return {
        "name": organisation.name,
        "website": organisation.website,
        "summary": organisation.summary,
        "description": organisation.description,
        "org_type": organisation.org_type,
        "size": organisation.size,
        "founded": organisation.founded,
        "city": organisation.city,
        "region": organisation.region,
        "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "contact_url": organisation.contact_url,
        "consequences": sorted(t.slug for t in terms if t.vocabulary.slug == "consequences"),
        "activities": sorted(t.slug for t in terms if t.vocabulary.slug == "activities"),
        "offers": sorted(t.slug for t in organisation.offers.all()),
        "looking_for": sorted(t.slug for t in organisation.looking_for.all()),
        "tags": sorted(t.name for t in organisation.tags.all()),
        "relationships": [
            {"kind": link.kind, "organisation": link.target.slug, "name": link.target.name}
            for link in links
        ],
    }


def _comparable(key, value):
    if key in {"consequences", "activities", "offers", "looking_for"}:
        return sorted(value or [])
    if key == "tags":
        return sorted(t.casefold() for t in value or [])
    if key == "relationships":
        return sorted((r["kind"], r["organisation"]) for r in value or [])
    return value if value not in (None, "") else ""


def changed_fields(current, proposed):
    """The keys of `proposed` whose values differ from `current`'s."""
    return [
        key
        for key in EDITABLE_FIELDS
        if key in proposed and _comparable(key, proposed[key]) != _comparable(key, current.get(key))
    ]


class EditSuggestionForm(OrganisationForm):
    """Suggest an edit to an entry (kind `edit`): prefilled, and only what changed is sent."""

    note = TextField(
        label="What has changed, and how do you know? (optional)",
        max_length=2000,
        required=False,
        help_text="A link to where the new facts can be checked helps the moderators.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation, **kwargs):
        self.current = organisation_as_data(organisation)
        initial = {key: value for key, value in self.current.items() if key != "relationships"}
        initial["tags"] = ", ".join(self.current["tags"])
        for index, link in enumerate(self.current["relationships"]):
            initial[f"link_{index}_kind"] = link["kind"]
            initial[f"link_{index}_target"] = link["name"]
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, organisation=organisation, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not changed_fields(self.current, super().submission_data()):
            raise ValidationError(
                "Nothing has changed: edit the fields that are wrong, then send the form.",
                code="unchanged",
            )
        return cleaned

    def submission_data(self):
        proposed = super().submission_data()
        data = {key: proposed[key] for key in changed_fields(self.current, proposed)}
        if self.cleaned_data.get("note"):
            data["note"] = self.cleaned_data["note"]
        return data


class ReportForm(SubmitterForm):
    """Report an entry as outdated, inaccurate, closed or outside the criteria (kind `report`)."""

    email_required = False

    class Problem:
        CHOICES = [
            ("outdated", "Something in it is out of date"),
            ("inaccurate", "Something in it is wrong"),
            ("closed", "The organisation has closed"),
            ("outside-criteria", "It does not belong on the map (outside the criteria)"),
        ]

    problem = forms.ChoiceField(
        label="What is the problem?",
        choices=Problem.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the problem is."},
    )
    details = TextField(
        label="Tell us more",
        max_length=2000,
        error_messages={"required": "Tell us what is wrong."},
        help_text="What is wrong and, if you can, where we can check it (a link helps).",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = ["problem", "details"]

    def __init__(self, *args, organisation=None, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def submission_data(self):
        return {"problem": self.cleaned_data["problem"], "details": self.cleaned_data["details"]}


class AssessmentForm(SubmitterForm):
    """Self-assess an organisation against each principle, and endorse principles."""

    statement = LineField(
        label="A statement of your commitment (optional)",
        max_length=500,
        required=False,
        help_text="Shown with the principles you endorse, once approved.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisation, principles, levels, **kwargs):
        self.organisation = organisation
        self.principles = list(principles)
        super().__init__(*args, **kwargs)
        level_choices = [("", "Not assessed")] + (
            [(str(level.level), f"{level.level}. {level.name}") for level in levels]
            or [(str(n), str(n)) for n in range(1, 6)]
        )
        self.principle_rows = []
        for principle in self.principles:
            prefix = f"p_{principle.slug}"
            self.fields[f"{prefix}_level"] = forms.TypedChoiceField(
                label=f"Level for “{principle.title}”",
                choices=level_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{prefix}_evidence"] = TextField(
                label="Evidence",
                max_length=2000,
                required=False,
                help_text="What you do that shows this level.",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"{prefix}_evidence_url"] = WebAddressField(
                label="A page that shows it (optional)", required=False
            )
            self.fields[f"{prefix}_endorse"] = forms.BooleanField(
                label=f"We endorse “{principle.title}”", required=False
            )
            self.principle_rows.append((principle, prefix))
        self.order_fields(
            [
                *(
                    f"{prefix}_{part}"
                    for _, prefix in self.principle_rows
                    for part in ("level", "evidence", "evidence_url", "endorse")
                ),
                "statement",
            ]
        )

    def rows(self):
        """(principle, level, evidence, evidence_url, endorse) bound fields, for the template."""
        return [
            (
                principle,
                self[f"{prefix}_level"],
                self[f"{prefix}_evidence"],
                self[f"{prefix}_evidence_url"],
                self[f"{prefix}_endorse"],
            )
            for principle, prefix in self.principle_rows
        ]

    def clean(self):
        cleaned = super().clean()
        assessed = endorsed = 0
        for _principle, prefix in self.principle_rows:
            level = cleaned.get(f"{prefix}_level")
            evidence = cleaned.get(f"{prefix}_evidence")
            if level:
                assessed += 1
                if not evidence:
                    self.add_error(
                        f"{prefix}_evidence",
                        "Say what the organisation does that shows this level.",
                    )
            elif evidence or cleaned.get(f"{prefix}_evidence_url"):
                self.add_error(f"{prefix}_level", "Choose a level for this evidence.")
            if cleaned.get(f"{prefix}_endorse"):
                endorsed += 1
        if not assessed and not endorsed and not self.errors:
            raise ValidationError(
                "Choose a level for at least one principle, or endorse one.", code="empty"
            )
        return cleaned

    @property
    def kind(self):
        has_levels = any(self.cleaned_data.get(f"{p}_level") for _, p in self.principle_rows)
        return "assessment" if has_levels else "endorsement"

    def submission_data(self):
        assessments, endorsements = [], []
        for principle, prefix in self.principle_rows:
            if self.cleaned_data.get(f"{prefix}_level"):
                assessments.append(
                    {
                        "principle": principle.slug,
                        "level": self.cleaned_data[f"{prefix}_level"],
                        "evidence": self.cleaned_data.get(f"{prefix}_evidence", ""),
                        "evidence_url": self.cleaned_data.get(f"{prefix}_evidence_url", ""),
                    }
                )
            if self.cleaned_data.get(f"{prefix}_endorse"):
                endorsements.append(principle.slug)
        data = {"assessments": assessments, "endorsements": endorsements}
        if endorsements and self.cleaned_data.get("statement"):
            data["statement"] = self.cleaned_data["statement"]
        return data
