"""Every related part of organisations' records in one PostgreSQL query.

`orgs.records` reads each part with a query of its own, through the ORM: portable, and the rule
of what is public is written once there. On PostgreSQL the same facts come in one round trip of a
statement written once per process: each organisation with its parts as JSON arrays, in the
orders the ORM readers give. It saves five round trips and the building and compiling of six
ORM queries for every answer (most of the database-side cost of one organisation), and is held
to the ORM readers' output by tests/api/test_records.py.
"""

import datetime
import functools
import json

from django.db import connection
from taggit.models import TaggedItem

from orgs.models import Organisation, Relationship
from principles.models import Assessment, Endorsement, Principle
from taxonomy.models import Term, Vocabulary

# The relations of an organisation to terms; orgs.records reads them from here.
TERM_RELATIONS = ("terms", "offers", "looking_for")
OTHER_PARTS = ("links", "tags", "assessments", "endorsements")


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _terms_sql():
    links = " UNION ALL ".join(
        f"SELECT {index} AS relation, term_id FROM "
        f"{_table(getattr(Organisation, name).through)} WHERE organisation_id = o.id"
        for index, name in enumerate(TERM_RELATIONS)
    )
    return f"""(SELECT json_agg(json_build_array(r.relation, t.slug, t.name, v.slug)
        ORDER BY v."order", t."order", t.name)
        FROM ({links}) r JOIN {_table(Term)} t ON t.id = r.term_id
        JOIN {_table(Vocabulary)} v ON v.id = t.vocabulary_id)"""


def _links_sql():
    directions = " UNION ALL ".join(
        f"""SELECT {index} AS direction, l.kind, l.note, other.slug, other.name, l.id
        FROM {_table(Relationship)} l JOIN {_table(Organisation)} other ON other.id = l.{other}_id
        WHERE l.{own}_id = o.id AND other.status = %(shown)s"""
        for index, (own, other) in enumerate((("source", "target"), ("target", "source")))
    )
    return f"""(SELECT json_agg(json_build_array(d.direction, d.kind, d.note, d.slug, d.name)
        ORDER BY d.direction, d.kind, d.name, d.id) FROM ({directions}) d)"""


def _tags_sql():
    tag = TaggedItem._meta.get_field("tag").related_model
    return f"""(SELECT json_agg(json_build_array(tag.slug, tag.name))
        FROM {_table(TaggedItem)} item JOIN {_table(tag)} tag ON tag.id = item.tag_id
        WHERE item.content_type_id = %(content_type)s AND item.object_id = o.id)"""


def _principles_sql(model, columns):
    return f"""(SELECT json_agg(json_build_array(p.slug, p.title, {columns})
        ORDER BY p."order", p.title)
        FROM {_table(model)} x JOIN {_table(Principle)} p ON p.id = x.principle_id
        WHERE x.organisation_id = o.id AND x.status = %({model._meta.model_name})s
        AND p.status <> %(withdrawn)s)"""


def _facts_sql():
    return f"""{_terms_sql()}, {_links_sql()}, {_tags_sql()},
        {_principles_sql(Assessment, "x.level, x.evidence, x.evidence_url, x.assessed_on")},
        {_principles_sql(Endorsement, "x.statement, x.created")}"""


@functools.cache
def _statement():
    return f"""SELECT o.id, {_facts_sql()}
        FROM {_table(Organisation)} o WHERE o.id = ANY(%(ids)s)"""


@functools.cache
def _published_statement(columns):
    """One published organisation by slug: `columns` (field names, `pk` for the key), then its
    facts as `_statement` reads them."""
    quote = connection.ops.quote_name
    field = Organisation._meta.get_field
    names = ["o.id" if name == "pk" else f"o.{quote(field(name).column)}" for name in columns]
    return f"""SELECT {", ".join(names)}, {_facts_sql()}
        FROM {_table(Organisation)} o WHERE o.slug = %(slug)s AND o.status = %(shown)s"""


def _loaded(array):
    """A JSON array as Python: psycopg loads `json` itself, unless told to leave it as text."""
    return json.loads(array) if isinstance(array, str) else array or ()


def _assessment(slug, title, level, evidence, evidence_url, assessed_on):
    return slug, title, level, evidence, evidence_url, datetime.date.fromisoformat(assessed_on)


def _endorsement(slug, title, statement, created):
    return slug, title, statement, datetime.datetime.fromisoformat(created)


def _params(**more):
    from django.contrib.contenttypes.models import ContentType

    return {
        "shown": Organisation.Status.PUBLISHED,
        "withdrawn": Principle.Status.RETIRED,
        "content_type": ContentType.objects.get_for_model(Organisation).pk,
        "assessment": Assessment.Status.PUBLISHED,
        "endorsement": Endorsement.Status.PUBLISHED,
        **more,
    }


def fetch_all(ids, directions, tag_order):
    """{part: {organisation: [tuples]}} for every part `orgs.records` reads, as its readers give
    them: the three term relations, `links` (with the names of `directions`), `tags` (sorted by
    `tag_order`), `assessments` and `endorsements`."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(), _params(ids=list(ids)))
        return _parts(cursor.fetchall(), directions, tag_order)


def fetch_published(slug, columns, directions, tag_order):
    """(the row of `columns`, as `values(*columns)` gives it, and its parts as `fetch_all`
    gives them) of the published organisation with this slug, in one query; None if none is."""
    with connection.cursor() as cursor:
        cursor.execute(_published_statement(tuple(columns)), _params(slug=slug))
        found = cursor.fetchone()
    if found is None:
        return None
    row = {name: _from_db(name, value) for name, value in zip(columns, found, strict=False)}
    return row, _parts([(row["pk"], *found[len(columns) :])], directions, tag_order)


def _from_db(name, value):
    """A column's value as `values()` gives it: a field that converts what it reads (JSON) does."""
    field = Organisation._meta.pk if name == "pk" else Organisation._meta.get_field(name)
    convert = getattr(field, "from_db_value", None)
    return value if convert is None else convert(value, None, connection)


def _parts(rows, directions, tag_order):
    parts = {name: {} for name in (*TERM_RELATIONS, *OTHER_PARTS)}
    for pk, *arrays in rows:
        terms, links, tags, assessments, endorsements = map(_loaded, arrays)
        for relation in TERM_RELATIONS:
            parts[relation][pk] = []
        for relation, slug, name, vocabulary in terms:
            parts[TERM_RELATIONS[relation]][pk].append((slug, name, vocabulary))
        parts["links"][pk] = [
            (directions[direction], kind, note, slug, name)
            for direction, kind, note, slug, name in links
        ]
        parts["tags"][pk] = sorted((tuple(tag) for tag in tags), key=tag_order)
        parts["assessments"][pk] = [_assessment(*row) for row in assessments]
        parts["endorsements"][pk] = [_endorsement(*row) for row in endorsements]
    return parts
