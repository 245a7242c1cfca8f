"""What a submission can propose about an organisation, named once.

The field list, the labels a moderator reads, the problems a report can name, and the helpers
that put an entry and a submission side by side: the forms, the services that apply a submission
and the moderators' queue all read them from here.
"""

from django.db import models
from django.utils.html import format_html, format_html_join

from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand, Submission
from orgs.querysets import published_q

# Fields of an organisation that a submission sets directly, in the order the forms ask for them.
SCALAR_FIELDS = (
    "name", "website", "summary", "description", "org_type", "size", "founded", "city", "region",
    "charity_number", "company_number", "contact_url",
)  # fmt: skip
# Form field → the vocabulary of `Organisation.terms` it classifies by.
TERM_FIELDS = {"consequences": "consequences", "activities": "activities"}
# Form fields of the `help` vocabulary, each its own many-to-many on Organisation.
HELP_FIELDS = ("offers", "looking_for")
HELP_VOCABULARY = "help"
TERM_KEYS = {*TERM_FIELDS, *HELP_FIELDS}
# Everything the organisation form asks, in order; an edit may also change the links.
ENTRY_FIELDS = (*SCALAR_FIELDS, *TERM_FIELDS, *HELP_FIELDS, "tags")
EDITABLE_FIELDS = (*ENTRY_FIELDS, "relationships")


class Problem(models.TextChoices):
    """What a report says is wrong with an entry."""

    OUTDATED = "outdated", "Something in it is out of date"
    INACCURATE = "inaccurate", "Something in it is wrong"
    CLOSED = "closed", "The organisation has closed"
    OUTSIDE_CRITERIA = "outside-criteria", "It does not belong on the map (outside the criteria)"


# Reports that, once a moderator confirms them, take the entry off the public map.
ARCHIVING_PROBLEMS = {Problem.CLOSED, Problem.OUTSIDE_CRITERIA}

FIELD_LABELS = {
    "name": "Name",
    "website": "Website",
    "summary": "Summary",
    "description": "Description",
    "org_type": "Type",
    "size": "Size",
    "founded": "Year founded",
    "city": "Town or city",
    "region": "Region",
    "charity_number": "Charity number",
    "company_number": "Company number",
    "contact_url": "Public contact page",
    "consequences": "Consequences it works on",
    "activities": "Activities",
    "offers": "Offers",
    "looking_for": "Looking for",
    "tags": "Tags",
    "relationships": "Links",
    "note": "Submitter's note",
    "problem": "Problem",
    "details": "Details",
    "statement": "Statement",
    "published_as": "Published as",
    "merged_into": "Merged into",
}
CHOICE_LABELS = {
    "org_type": dict(OrgType.choices),
    "size": dict(SizeBand.choices),
    "region": dict(Region.choices),
    "problem": dict(Problem.choices),
}


def links_of(organisation):
    """An entry's links to published organisations, in the order the forms show them."""
    return list(
        organisation.outgoing.filter(published_q("target"))
        .select_related("target")
        .order_by("target__name", "kind")
    )


def organisation_as_data(organisation):
    """An entry in the shape of a submission's data, so the two can be compared field by field."""
    terms = list(organisation.terms.all())
    data = {field: getattr(organisation, field) for field in SCALAR_FIELDS}
    for key, vocabulary in TERM_FIELDS.items():
        data[key] = sorted(t.slug for t in terms if t.vocabulary.slug == vocabulary)
    for key in HELP_FIELDS:
        data[key] = sorted(t.slug for t in getattr(organisation, key).all())
    data["tags"] = sorted(t.name for t in organisation.tags.all())
    data["relationships"] = [
        {"kind": link.kind, "organisation": link.target.slug, "name": link.target.name}
        for link in links_of(organisation)
    ]
    return data


def _comparable(key, value):
    if key in TERM_KEYS:
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


def term_names(*datas):
    """Slug → name of every term the given submission data name."""
    from taxonomy.models import Term

    slugs = {slug for data in datas for key in TERM_KEYS for slug in (data or {}).get(key) or []}
    return dict(Term.objects.filter(slug__in=slugs).values_list("slug", "name"))


def readable_value(key, value, names):
    """A submitted value as a moderator reads it: labels not codes, names not slugs."""
    if value in (None, "", []):
        return "—"
    if key in TERM_KEYS:
        return ", ".join(names.get(slug, f"{slug} (unknown term)") for slug in value)
    if key == "tags":
        return ", ".join(value)
    if key == "relationships":
        kinds = dict(Relationship.Kind.choices)
        return "; ".join(
            f"{kinds.get(link.get('kind'), link.get('kind'))} "
            f"{link.get('name') or link.get('organisation')}"
            for link in value
        )
    if key in CHOICE_LABELS:
        return CHOICE_LABELS[key].get(value, value)
    return str(value)


def _table(head, rows):
    return format_html(
        '<table class="submission-data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head)),
        rows,
    )


def proposed_table(submission):
    """Everything a submission proposes, readably (all values escaped)."""
    data = submission.data or {}
    if submission.kind in (Submission.Kind.ASSESSMENT, Submission.Kind.ENDORSEMENT):
        return assessment_table(data)
    names = term_names(data)
    keys = [k for k in FIELD_LABELS if k in data] + [k for k in data if k not in FIELD_LABELS]
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="value">{}</td></tr>',
        ((FIELD_LABELS.get(k, k), readable_value(k, data[k], names)) for k in keys),
    )
    return _table(["Field", "Proposed"], rows)


def assessment_table(data):
    from principles.models import Principle

    titles = dict(Principle.objects.values_list("slug", "title"))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td>'
        '<td class="value">{}</td><td class="value">{}</td></tr>',
        (
            (
                titles.get(a.get("principle"), a.get("principle")),
                a.get("level"),
                a.get("evidence") or "—",
                a.get("evidence_url") or "—",
            )
            for a in data.get("assessments", [])
        ),
    )
    parts = []
    if data.get("assessments"):
        parts.append(_table(["Principle", "Level", "Evidence", "Evidence page"], rows))
    if data.get("endorsements"):
        parts.append(
            format_html(
                "<p>Endorses: {}</p>",
                ", ".join(titles.get(s, s) for s in data["endorsements"]),
            )
        )
    if data.get("statement"):
        parts.append(format_html("<p>Statement: {}</p>", data["statement"]))
    return format_html_join("", "{}", ((p,) for p in parts)) or "—"


def edit_diff(submission):
    """Field by field, the entry as it is now beside what the edit proposes."""
    current = organisation_as_data(
        Organisation.objects.with_terms().get(pk=submission.organisation_id)
    )
    data = submission.data or {}
    keys = changed_fields(current, data)
    names = term_names(current, data)
    if not keys:
        return "Nothing differs from the entry as it is now (it may have been edited since)."
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="value"><del>{}</del></td>'
        '<td class="value"><ins>{}</ins></td></tr>',
        (
            (
                FIELD_LABELS.get(k, k),
                readable_value(k, current.get(k), names),
                readable_value(k, data.get(k), names),
            )
            for k in keys
        ),
    )
    return _table(["Field", "Now", "Proposed"], rows)
