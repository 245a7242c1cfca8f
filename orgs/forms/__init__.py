"""The public forms: add an organisation, suggest an edit, report an entry, self-assess.

Each form validates what a person typed and turns it into the JSON `data` of one Submission
(`submission_data()`); nothing here writes to the database. Every field has a length limit, text is
normalised (NFC, control and bidirectional-override characters removed) and web addresses must be
http or https.
"""

from orgs.forms.base import SubmitterForm, clean_line, clean_text
from orgs.forms.entry import AssessmentForm, ReportForm
from orgs.forms.organisation import (
    EditSuggestionForm,
    OrganisationForm,
    changed_fields,
    organisation_as_data,
    published_names,
)

__all__ = [
    "AssessmentForm",
    "EditSuggestionForm",
    "OrganisationForm",
    "ReportForm",
    "SubmitterForm",
    "changed_fields",
    "clean_line",
    "clean_text",
    "organisation_as_data",
    "published_names",
]
