"""What must hold after the integrity run, counted from the database (Django's ORM)."""

from collections import Counter

FIELDS = ("city", "summary")


def accepted_submissions(tally):
    """Every submission a member was thanked for is in the queue or decided."""
    from orgs.models import Submission

    accepted = {pk for pk, _kind in tally.accepted}
    stored = dict(Submission.objects.filter(pk__in=accepted).values_list("pk", "status"))
    return {
        "accepted": len(accepted),
        "accepted_by_kind": dict(Counter(kind for _pk, kind in tally.accepted)),
        "missing": len(accepted - set(stored)),
        "by_status": dict(Counter(stored.values())),
    }


def published_twice(started_at):
    """Entries published during the run that are the same organisation as another entry."""
    from orgs.models import Organisation

    created = Organisation.objects.published().filter(created__gte=started_at)
    twice = 0
    for org in created:
        if Organisation.objects.duplicates_of(
            name=org.name,
            website=org.website,
            charity_number=org.charity_number,
            company_number=org.company_number,
            exclude=[org.pk],
        ):
            twice += 1
    return {"published": created.count(), "published_twice": twice}


def _proposals(target_ids):
    """(organisation, field, value) → what the member was shown, of every approved edit."""
    from orgs.models import Submission

    proposals = {}
    edits = Submission.objects.filter(
        kind="edit", status="approved", organisation_id__in=target_ids
    ).values_list("organisation_id", "data")
    for org_id, data in edits:
        for name in FIELDS:
            if name in data and name not in data.get("kept", []):
                proposals[(org_id, name, data[name])] = (data.get("shown") or {}).get(name)
    return proposals


def moderator_fields(tally, target_ids, started_at):
    """Every change to a field moderators write, explained by who proposed or typed it."""
    from orgs.models import Organisation

    history = Organisation.history.model
    proposals = _proposals(target_ids)
    counts = Counter()
    for org_id in target_ids:
        rows = list(
            history.objects.filter(id=org_id)
            .order_by("history_date", "history_id")
            .values("history_date", *FIELDS)
        )
        before = [row for row in rows if row["history_date"] < started_at]
        previous = before[-1] if before else rows[0]
        written = set()
        for row in rows[len(before) :]:
            for name in FIELDS:
                old, new = previous[name], row[name]
                if old == new:
                    continue
                if new in tally.moderator_values:
                    counts["written by a moderator"] += 1
                    written.add(name)
                elif (org_id, name, new) in proposals:
                    counts["written by an approved edit proposing it"] += 1
                    if proposals[(org_id, name, new)] != old:
                        counts["edit written over a change its member did not see"] += 1
                elif name in written:
                    counts["moderator's field changed by an edit not proposing it"] += 1
                else:
                    counts["changed by nobody known"] += 1
            previous = row
    return dict(counts)


def decisions_with_history():
    """Every decided submission has a history row recording that decision."""
    from orgs.models import Submission

    decided = set(Submission.objects.exclude(status="pending").values_list("pk", "status"))
    recorded = set(
        Submission.history.model.objects.exclude(status="pending").values_list("id", "status")
    )
    return {"decided": len(decided), "decided_without_history": len(decided - recorded)}


def all_counts(tally, target_ids, started_at):
    return {
        "submissions": accepted_submissions(tally),
        "organisations": published_twice(started_at),
        "moderated fields": moderator_fields(tally, target_ids, started_at),
        "decisions": decisions_with_history(),
    }
