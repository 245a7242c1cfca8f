"""Views of the orgs app: the public directory and (in submissions.py) the public forms."""

from orgs.views.directory import organisation_detail, organisation_list
from orgs.views.submissions import (
    assess,
    report,
    submit_organisation,
    submit_thanks,
    suggest_edit,
)

__all__ = [
    "assess",
    "organisation_detail",
    "organisation_list",
    "report",
    "submit_organisation",
    "submit_thanks",
    "suggest_edit",
]
