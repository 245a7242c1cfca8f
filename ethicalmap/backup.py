"""Export the whole content of the map to one JSON document, and import it into an empty database.

The document uses Django's serialisation format, one list of records in dependency order, so a
restore keeps primary keys, dates and history exactly. It holds every model of the taxonomy,
principles and orgs apps (their history included) and the tags. People's data is left out unless
asked for: user accounts travel as bare usernames (so "who reviewed" and "who changed" survive)
with no password, and submitters' names and emails and organisations' private contact emails are
blanked.
"""

import datetime
import json
from itertools import groupby
from operator import itemgetter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from ethicalmap.dataversion import DERIVED_MODELS

FORMAT = "ethicalmap-backup"
VERSION = 1
CONTENT_APPS = ("taxonomy", "principles", "orgs")
# (app_label, model_name) -> fields holding personal or private data.
# Derived by the database (orgs migration 0004): never exported, recomputed on restore.
DERIVED_FIELDS = ("search_vector",)
PRIVATE_FIELDS = {
    ("orgs", "organisation"): ("contact_email",),
    ("orgs", "submission"): ("submitter_name", "submitter_email"),
}
USER_PRIVATE_FIELDS = ("email", "first_name", "last_name")


class BackupError(Exception):
    pass


class LosslessEncoder(DjangoJSONEncoder):
    """Datetimes to the microsecond (Django's encoder keeps milliseconds), so a restore is exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def content_models():
    """Every model whose rows the backup holds, parents before children."""
    User = get_user_model()
    models = [User, apps.get_model("taggit", "Tag")]
    for label in CONTENT_APPS:
        models += [
            model
            for model in apps.get_app_config(label).get_models()
            # kept by the database from the organisations: refilled as they are restored
            if model._meta.label_lower not in DERIVED_MODELS
        ]
    models.append(apps.get_model("taggit", "TaggedItem"))
    return models


def _scrub_user(fields, include_personal_data):
    kept = {
        "username": fields["username"],
        "is_staff": fields["is_staff"],
        "is_active": fields["is_active"],
        "is_superuser": fields["is_superuser"],
        "date_joined": fields["date_joined"],
        # Never a password hash: restored accounts must set a new password.
        "password": "!",
    }
    if include_personal_data:
        kept.update({name: fields[name] for name in USER_PRIVATE_FIELDS})
    return kept


def _records(model, include_personal_data):
    queryset = model._default_manager.order_by("pk")
    records = json.loads(
        serializers.serialize("json", queryset, use_natural_foreign_keys=True, cls=LosslessEncoder)
    )
    opts = model._meta
    private = (
        () if include_personal_data else PRIVATE_FIELDS.get((opts.app_label, opts.model_name), ())
    )
    for record in records:
        fields = record["fields"]
        for name in DERIVED_FIELDS:
            fields.pop(name, None)
        if model is get_user_model():
            record["fields"] = _scrub_user(fields, include_personal_data)
            continue
        for name in private:
            if name in fields:
                fields[name] = ""
    return records


def export_data(*, include_personal_data=False):
    """The backup document as a dict (see the module docstring)."""
    records = []
    with transaction.atomic():  # one consistent snapshot
        for model in content_models():
            records += _records(model, include_personal_data)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "personal_data": include_personal_data,
        "records": records,
    }


def dump(document, stream):
    json.dump(document, stream, ensure_ascii=False, indent=1, sort_keys=True)


def is_empty():
    return not any(model._default_manager.exists() for model in content_models()[1:])


@transaction.atomic
def import_data(document):
    """Load a backup document into a database that holds no content yet; return the row count."""
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise BackupError(f"Not a {FORMAT} version {VERSION} document.")
    if not is_empty():
        raise BackupError("The database already holds content: restore into an empty database.")
    User = get_user_model()
    existing_users = set(User.objects.values_list("username", flat=True))
    count = 0
    with connection.constraint_checks_disabled():
        # Model by model, in the document's order: natural keys (usernames) resolve against rows
        # saved by the earlier groups.
        for _, group in groupby(document["records"], key=itemgetter("model")):
            for obj in serializers.deserialize("json", json.dumps(list(group))):
                if isinstance(obj.object, User) and obj.object.username in existing_users:
                    continue
                obj.save()
                count += 1
    connection.check_constraints()
    _reset_sequences()
    return count


def _reset_sequences():
    """After rows are inserted with explicit keys, new rows must not collide with them."""
    statements = connection.ops.sequence_reset_sql(no_style(), content_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
