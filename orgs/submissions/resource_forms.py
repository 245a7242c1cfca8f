"""Share a resource (kind `resource`): the form a member fills in; nothing here writes."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator

from orgs.submissions.inputs import (
    HintedCheckboxes,
    LineField,
    SubmitterForm,
    WebAddressField,
)
from principles.models import Principle
from resources.models import Resource
from taxonomy.models import Term
from taxonomy.querysets import reading_order

CONSEQUENCES = "consequences"
COSTS = [("free", "Free to use"), ("paid", "Paid")]


class ResourceForm(SubmitterForm):
    """A guide, toolkit, case study, report, course, standard or other map to share."""

    email_required = False

    title = LineField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the resource's title."},
        help_text="As its publisher gives it.",
    )
    url = WebAddressField(
        label="Web address",
        error_messages={"required": "Enter the address where people can find it."},
        help_text="Where people can find it, such as https://example.org/guide.",
    )
    kind = forms.ChoiceField(
        label="Kind of resource",
        choices=[("", "Choose one")] + list(Resource.Kind.choices),
        error_messages={"required": "Choose the kind of resource."},
    )
    summary = LineField(
        label="What it is and who it helps, in a sentence or two",
        max_length=400,
        error_messages={"required": "Say in a sentence or two what the resource is."},
        help_text="Up to 400 characters, in your own words.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publisher_name = LineField(label="Who publishes it (optional)", max_length=200, required=False)
    areas = forms.MultipleChoiceField(
        label="Which unintended consequences of technology does it help with?",
        widget=HintedCheckboxes,
        error_messages={"required": "Tick at least one consequence it helps with."},
    )
    principles = forms.MultipleChoiceField(
        label="Which principles does it help put into practice? (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cost = forms.ChoiceField(label="Cost", choices=COSTS, initial="free", widget=forms.RadioSelect)
    licence = LineField(
        label="Licence (optional)",
        max_length=100,
        required=False,
        help_text="As the publisher states it, such as CC BY 4.0. Leave empty if none is stated.",
    )
    year = forms.IntegerField(
        label="Year published (optional)",
        min_value=1900,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    field_order = [
        "title", "url", "kind", "summary", "publisher_name", "areas", "principles", "cost",
        "licence", "year",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connection"].label = "Your connection with the resource or its publisher"
        this_year = datetime.date.today().year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year
        terms = reading_order(list(Term.objects.in_vocabulary(CONSEQUENCES).ordered()))
        self.fields["areas"].choices = [(t.slug, t.name) for t in terms]
        widget = self.fields["areas"].widget
        widget.hints = {t.slug: t.definition for t in terms}
        widget.children = {t.slug for t in terms if t.parent_id}
        principles = Principle.objects.live().order_by("order", "title")
        self.fields["principles"].choices = [(p.slug, p.title) for p in principles]

    def submission_data(self):
        data = {
            name: self.cleaned_data[name]
            for name in ("title", "url", "kind", "summary", "publisher_name", "licence", "year")
        }
        data["areas"] = list(self.cleaned_data["areas"])
        data["principles"] = list(self.cleaned_data["principles"])
        data["free"] = self.cleaned_data["cost"] == "free"
        return data
