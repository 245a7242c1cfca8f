"""The public forms: add an organisation, suggest an edit, report an entry, self-assess.

Each form validates what a person typed and turns it into the JSON `data` of one Submission
(`submission_data()`); nothing here writes to the database. Every field has a length limit, text is
normalised (NFC, control and bidirectional-override characters removed) and web addresses must be
http or https.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from orgs import identifiers
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand
from orgs.submissions.fields import (
    ENTRY_FIELDS,
    HELP_FIELDS,
    HELP_VOCABULARY,
    TERM_FIELDS,
    Problem,
    links_of,
)
from orgs.submissions.inputs import (
    HintedCheckboxes,
    LineField,
    SubmitterForm,
    TextField,
    WebAddressField,
)
from taxonomy.models import Term
from taxonomy.querysets import reading_order

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
NEW_LINK_ROWS = 3


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

    field_order = list(ENTRY_FIELDS)

    def __init__(self, *args, organisation=None, **kwargs):
        self.organisation = organisation
        self._current_links = links_of(organisation) if organisation else []
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

    def _set_term_choices(self):
        terms = list(
            Term.objects.filter(vocabulary__slug__in=(*TERM_FIELDS.values(), HELP_VOCABULARY))
            .select_related("vocabulary")
            .order_by("order", "name")
        )
        by_vocabulary = {}
        for term in terms:
            by_vocabulary.setdefault(term.vocabulary.slug, []).append(term)
        vocabularies = {**TERM_FIELDS, **dict.fromkeys(HELP_FIELDS, HELP_VOCABULARY)}
        for name, vocabulary in vocabularies.items():
            ordered = reading_order(by_vocabulary.get(vocabulary, []))
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
            matches = list(Organisation.objects.published().named(target).only("slug", "name"))
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
        data = {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS}
        data["relationships"] = self.relationships()
        return data


class ReportForm(SubmitterForm):
    """Report an entry as outdated, inaccurate, closed or outside the criteria (kind `report`)."""

    email_required = False

    problem = forms.ChoiceField(
        label="What is the problem?",
        choices=Problem.choices,
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

    def __init__(self, *args, organisation, principles, levels, case_studies=(), **kwargs):
        self.organisation = organisation
        self.principles = list(principles)
        self.case_study_choices = list(case_studies)  # (slug, title) of those about it
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
            if self.case_study_choices:
                self.fields[f"{prefix}_case_studies"] = forms.MultipleChoiceField(
                    label="Case studies on the map that show it (optional)",
                    choices=self.case_study_choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            self.principle_rows.append((principle, prefix))
        self.order_fields(
            [
                *(
                    f"{prefix}_{part}"
                    for _, prefix in self.principle_rows
                    for part in ("level", "evidence", "evidence_url", "case_studies", "endorse")
                ),
                "statement",
            ]
        )

    def rows(self):
        """(principle, level, evidence, evidence_url, endorse, case studies or None) bound
        fields, for the template."""
        return [
            (
                principle,
                self[f"{prefix}_level"],
                self[f"{prefix}_evidence"],
                self[f"{prefix}_evidence_url"],
                self[f"{prefix}_endorse"],
                self[f"{prefix}_case_studies"] if self.case_study_choices else None,
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
                        "case_studies": list(self.cleaned_data.get(f"{prefix}_case_studies", [])),
                    }
                )
            if self.cleaned_data.get(f"{prefix}_endorse"):
                endorsements.append(principle.slug)
        data = {"assessments": assessments, "endorsements": endorsements}
        if endorsements and self.cleaned_data.get("statement"):
            data["statement"] = self.cleaned_data["statement"]
        return data
