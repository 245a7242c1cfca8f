"""Add an organisation (kind `new`) and suggest an edit to one (kind `edit`)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from orgs import identifiers
from orgs.forms.base import HintedCheckboxes, LineField, SubmitterForm, TextField, WebAddressField
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
NEW_LINK_ROWS = 3
DATALIST_LIMIT = 1000
# The vocabularies the public forms classify an organisation by.
FORM_VOCABULARIES = ("consequences", "activities")
HELP_VOCABULARY = "help"


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
