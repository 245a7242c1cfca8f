"""The Moderators group: exactly the permissions a moderator needs, and no more."""

from django.contrib.auth.models import Group, Permission

MODERATORS_GROUP = "Moderators"

# (app_label, model, actions). Moderators curate content and work the queue; they never manage
# users or groups, and they archive organisations rather than delete them.
MODERATOR_PERMISSIONS = [
    ("orgs", "organisation", ("view", "add", "change")),
    ("orgs", "relationship", ("view", "add", "change", "delete")),
    ("orgs", "submission", ("view", "change")),
    ("orgs", "historicalorganisation", ("view",)),
    # Who maintains an entry is decided through claims in the queue; "change" lets a moderator
    # let a maintainer's changes publish at once (an admin action), nothing else.
    ("orgs", "maintainer", ("view", "change")),
    ("taxonomy", "vocabulary", ("view",)),
    ("taxonomy", "term", ("view", "add", "change")),
    ("taxonomy", "historicalterm", ("view",)),
    ("principles", "principle", ("view", "add", "change")),
    ("principles", "historicalprinciple", ("view",)),
    ("principles", "practice", ("view", "add", "change", "delete")),
    ("principles", "historicalpractice", ("view",)),
    ("principles", "leveldescriptor", ("view", "add", "change")),
    ("principles", "historicalleveldescriptor", ("view",)),
    ("principles", "maturitylevel", ("view",)),
    ("principles", "assessment", ("view", "change")),
    ("principles", "historicalassessment", ("view",)),
    ("principles", "endorsement", ("view", "change")),
    ("principles", "historicalendorsement", ("view",)),
    ("resources", "resource", ("view", "add", "change")),
    ("resources", "historicalresource", ("view",)),
    ("taggit", "tag", ("view", "add", "change")),
]


def moderator_permissions():
    """The Permission rows a moderator holds."""
    codenames = {
        (app, f"{action}_{model}")
        for app, model, actions in MODERATOR_PERMISSIONS
        for action in actions
    }
    perms = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in codenames},
        codename__in={codename for _, codename in codenames},
    ).select_related("content_type")
    return [p for p in perms if (p.content_type.app_label, p.codename) in codenames]


def sync_moderators_group(**kwargs):
    """Create the Moderators group or bring its permissions back to the list above (idempotent)."""
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(moderator_permissions())
    return group
