"""What a submission can propose about an organisation, named once.

The field list, the labels a moderator reads, the problems a report can name, and the helpers
that put an entry and a submission side by side: the forms, the services that apply a submission
and the moderators' queue all read them from here.
"""

import unicodedata

from django.db import models
from django.urls import reverse
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
# Fields holding several values: an edit's additions and removals are applied to the entry as it
# is when approved, so two people adding a tag each both get theirs.
SET_FIELDS = (*TERM_KEYS, "tags", "relationships")
# Key of an edit's data holding what the member was shown of each field they changed.
SHOWN = "shown"
# Key of an approved edit's data naming the fields a moderator kept as they were.
KEPT = "kept"
# Keys of a submission's data that record how it was decided rather than what was proposed.
RECORD_KEYS = {SHOWN, KEPT, "distinct_from"}


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


def _same_text(value):
    # A form sends text back NFC, with plain line ends and without doubled spaces; an entry
    # stored otherwise is not changed by being shown and sent back untouched.
    lines = unicodedata.normalize("NFC", value).replace("\r\n", "\n").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def _member(key, value):
    """What identifies one value of a many-valued field."""
    if key == "tags":
        return value.casefold()
    if key == "relationships":
        return (value["kind"], value["organisation"])
    return value


def _comparable(key, value):
    if key in SET_FIELDS:
        return sorted(_member(key, v) for v in value or [])
    if isinstance(value, str):
        return _same_text(value)
    return value if value not in (None, "") else ""


def same_value(key, a, b):
    """Whether two values of a field are the same once read as the forms read them."""
    return _comparable(key, a) == _comparable(key, b)


def changed_fields(current, proposed):
    """The keys of `proposed` whose values differ from `current`'s."""
    return [
        key
        for key in EDITABLE_FIELDS
        if key in proposed and not same_value(key, proposed[key], current.get(key))
    ]


def merged(key, current, shown, proposed):
    """A many-valued field as an edit leaves it: the member's additions and removals (proposed
    against shown) applied to the entry as it is now; the proposed values when nothing was
    recorded of what the member was shown."""
    if shown is None:
        return list(proposed or [])
    before = {_member(key, v) for v in shown or []}
    after = {_member(key, v) for v in proposed or []}
    result = [v for v in current or [] if _member(key, v) not in before - after]
    have = {_member(key, v) for v in result}
    for value in proposed or []:
        if _member(key, value) not in before | have:
            result.append(value)
            have.add(_member(key, value))
    return result


def edit_conflicts(data, current):
    """Fields an edit changes that the entry changed too since the member was shown it.

    A many-valued field never conflicts (its additions and removals are merged), unless the
    edit does not record what the member was shown, as edits sent before it was recorded.
    """
    shown = data.get(SHOWN)

    def conflicting(key):
        if shown is None or key not in shown:
            return True
        return key not in SET_FIELDS and not same_value(key, shown[key], current.get(key))

    return [key for key in changed_fields(current, data) if conflicting(key)]


def entry_version(organisation):
    """A stamp of the entry as it is now, that any save changes: what a moderator saw."""
    return organisation.updated.isoformat()


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
    keys = [k for k in FIELD_LABELS if k in data]
    keys += [k for k in data if k not in FIELD_LABELS and k not in RECORD_KEYS]
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


def _outcome(key, row, decidable):
    if row["status"] == "already":
        return "Already so: nothing to write"
    if row["status"] == "conflict":
        if not decidable:
            return "Changed since the member saw it"
        return format_html(
            "<strong>Changed since the member saw it.</strong> Kept as it is now unless you tick "
            '<label><input type="checkbox" name="overwrite" value="{}"> use the proposed value'
            "</label>",
            key,
        )
    if row["status"] == "merged":
        return format_html("Merged with the changes since: {}", row["result"])
    return "The proposed value"


def edit_rows(data, current):
    """What an edit does to each field it changes: (key, status, merged result)."""
    shown = data.get(SHOWN)
    conflicts = edit_conflicts(data, current)
    keys = changed_fields(shown, data) if shown is not None else changed_fields(current, data)
    rows = []
    for key in keys:
        row = {"key": key, "status": "change", "result": None}
        if same_value(key, current.get(key), data[key]):
            row["status"] = "already"
        elif key in conflicts:
            row["status"] = "conflict"
        elif key in SET_FIELDS and not same_value(key, shown.get(key), current.get(key)):
            row["status"] = "merged"
            row["result"] = merged(key, current.get(key), shown.get(key), data[key])
        rows.append(row)
    return rows


def edit_diff(submission, *, decidable=False):
    """Field by field, the entry as the member was shown it, as it is now, and as proposed.

    Fields changed since the member saw them are marked; where a moderator can decide, each
    offers a box to use the proposed value (kept as it is now otherwise).
    """
    org = Organisation.objects.with_terms().get(pk=submission.organisation_id)
    current = organisation_as_data(org)
    data = submission.data or {}
    shown = data.get(SHOWN)
    rows = edit_rows(data, current)
    if not rows:
        return "Nothing differs from the entry as it is now (it may have been edited since)."
    names = term_names(current, data, shown)
    for row in rows:
        if row["result"] is not None:
            row["result"] = readable_value(row["key"], row["result"], names)
    body = format_html_join(
        "",
        '<tr class="{}"><th scope="row">{}</th><td class="value">{}</td>'
        '<td class="value">{}</td><td class="value">{}</td><td>{}</td></tr>',
        (
            (
                row["status"],
                FIELD_LABELS.get(row["key"], row["key"]),
                "not recorded"
                if shown is None
                else readable_value(row["key"], shown.get(row["key"]), names),
                readable_value(row["key"], current.get(row["key"]), names),
                readable_value(row["key"], data.get(row["key"]), names),
                _outcome(row["key"], row, decidable),
            )
            for row in rows
        ),
    )
    table = _table(["Field", "Shown to the member", "Now", "Proposed", "On approval"], body)
    conflicts = [row for row in rows if row["status"] == "conflict"]
    if not conflicts:
        return table
    warning = format_html(
        '<p class="conflict-warning"><strong>The entry changed since the member saw it</strong>: '
        "{} of the fields they changed {} changed by someone else too. Approving never writes "
        "a field the member did not change.</p>",
        len(conflicts),
        "was" if len(conflicts) == 1 else "were",
    )
    version = ""
    if decidable:
        version = format_html(
            '<input type="hidden" name="entry_version" value="{}">', entry_version(org)
        )
    return format_html("{}{}{}", warning, table, version)


def live_duplicates(submission):
    """Entries on the map now that are the same organisation as a pending `new` submission."""
    if submission.kind != Submission.Kind.NEW or submission.is_decided:
        return []
    data = submission.data or {}
    return Organisation.objects.duplicates_of(
        name=data.get("name"),
        website=data.get("website"),
        charity_number=data.get("charity_number"),
        company_number=data.get("company_number"),
    )


def duplicates_list(submission, found, *, choose):
    """The entries `found` on the map for a new submission, each linked, with a box to say it
    is a different organisation where the moderator can decide (`choose`), and the way to merge."""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> ({}){}</li>',
        (
            (
                reverse("admin:orgs_organisation_change", args=[org.pk]),
                org.name,
                why,
                format_html(
                    ' <label><input type="checkbox" name="distinct_from" value="{}"> '
                    "it is a different organisation: publish it beside this one</label>",
                    org.pk,
                )
                if choose
                else "",
            )
            for org, why in found
        ),
    )
    return format_html(
        '<p class="duplicate-warning"><strong>Already on the map.</strong> Approving it is '
        'refused: <a href="{}">merge it into the entry</a> instead, unless it is another '
        "organisation.</p><ul>{}</ul>",
        reverse("admin:orgs_submission_merge", args=[submission.pk]),
        items,
    )
