"""Report an entry (kind `report`), and self-assess or endorse (`assessment`, `endorsement`)."""

from django import forms
from django.core.exceptions import ValidationError

from orgs.forms.base import LineField, SubmitterForm, TextField, WebAddressField


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
