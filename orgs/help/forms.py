"""The "who can help" question: what kind of help, on which area, where, and which way round."""

from django import forms

from orgs.help.places import UK_REGIONS
from taxonomy.models import Term

UNKNOWN = "We do not know “%(value)s”: choose one of the list."


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, term):
        return term.name


class HelpForm(forms.Form):
    direction = forms.ChoiceField(
        label="You are",
        choices=[
            ("offers", "Looking for help: who offers it?"),
            ("looking", "Offering help: who is looking for it?"),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": UNKNOWN},
    )
    need = TermChoiceField(
        label="What kind of help",
        queryset=Term.objects.in_vocabulary("help").order_by("order", "name"),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of help.",
            "invalid_choice": UNKNOWN,
        },
    )
    area = TermChoiceField(
        label="On which area",
        queryset=Term.objects.in_vocabulary("consequences")
        .filter(parent__isnull=True)
        .order_by("order", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any area",
        error_messages={"invalid_choice": UNKNOWN},
    )
    region = forms.ChoiceField(
        label="Where",
        choices=[("", "Anywhere in the UK"), *UK_REGIONS],
        required=False,
        error_messages={"invalid_choice": UNKNOWN},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("direction"):
            data = data.copy()
            data["direction"] = "offers"  # an address without it asks who offers the help
        super().__init__(data, **kwargs)
