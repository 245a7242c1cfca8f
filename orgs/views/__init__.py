"""Views of the orgs app: the public directory (directory.py) and the public forms (submissions.py)."""

from orgs.views.directory import organisation_detail, organisation_list

__all__ = ["organisation_detail", "organisation_list"]
