"""Views of the orgs app: the public directory and (in submissions.py) the public forms."""

from orgs.views.directory import organisation_detail, organisation_list

__all__ = ["organisation_detail", "organisation_list"]
