"""The starter data loaded once per test process, then copied in as rows.

Loading the starter data runs every save, clean and history record of 400 rows: about two seconds,
which dozens of tests paid each. The first load in a process is the real command; what it added
is kept (every new row of every table Django knows, history and link tables included), and later
tests get the same rows inserted in bulk, with the primary-key sequences moved past them as the
command leaves them. Database triggers (the data version, the search vectors, SQLite's name index)
fire on these inserts as they do on the command's.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from ethicalmap.dataversion import DERIVED_MODELS

# Rows that change under every test (the data version, rate-limit counts): never compared or kept.
VOLATILE = {"ethicalmap.DataVersion", "ethicalmap.LimitCounter"}


def _tables():
    """Every table with its columns, parents before the tables that refer to them."""
    models = apps.get_models(include_auto_created=True)
    ordered, seen = [], set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model:
                visit(target)
        ordered.append(model)

    for model in models:
        if model._meta.managed and not model._meta.proxy:
            visit(model)
    return [(m, _fields(m)) for m in ordered if m._meta.managed and not m._meta.proxy]


def _fields(model):
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _rows(model, fields):
    pk = model._meta.pk.attname
    return {
        row[pk]: row
        for row in model._base_manager.order_by("pk").values(*(f.attname for f in fields))
    }


def _insert(cursor, model, fields, rows):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    holes = ", ".join(["%s"] * len(fields))
    cursor.executemany(
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({holes})",
        [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows],
    )


class StarterSnapshot:
    """Loads the starter data: the command the first time, its rows after.

    The rows are copied only into a database in the state the command first found (a test that
    flushed the database may leave content types under other keys); otherwise the command runs
    again, and what it adds is kept instead.
    """

    def __init__(self):
        self.tables = None
        self.before = None  # every table's rows when the command ran
        self.added = None  # [(model, fields, rows)] the command added

    def load(self):
        if self.tables is None:
            # Rows a trigger writes as the organisations are inserted (DERIVED_MODELS) are not
            # copied: that would repeat them.
            self.tables = [
                (m, f)
                for m, f in _tables()
                if m._meta.label not in VOLATILE and m._meta.label_lower not in DERIVED_MODELS
            ]
        if self.added is not None and self._as_first_found():
            self._copy_in()
            return
        state = self._state()
        call_command("load_starter_data", verbosity=0)
        self.before = state
        self.added = []
        for model, fields in self.tables:
            rows = [row for pk, row in _rows(model, fields).items() if pk not in state[model]]
            if rows:
                self.added.append((model, fields, rows))

    def _state(self):
        return {model: _rows(model, fields) for model, fields in self.tables}

    def _as_first_found(self):
        """The tables the command adds to, and the content types its rows refer to, hold what
        they held when it ran (rows of other tables, a test's users, do not matter)."""
        compared = [(m, f) for m, f, _ in self.added] + [(ContentType, _fields(ContentType))]
        return all(_rows(m, f) == self.before[m] for m, f in compared)

    def _copy_in(self):
        with connection.cursor() as cursor:
            for model, fields, rows in self.added:
                _insert(cursor, model, fields, rows)
            models = [model for model, _, _ in self.added]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
