"""A column of the export's tables: its name, its Table Schema type, what it holds, its value.

Multi-valued cells (an organisation's terms, tags, identifiers) hold slugs or identifiers joined
with ";", which never appears inside one.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from ethicalmap.spreadsheets import SCHEMA_NOTE

MULTI = "; multiple values are separated by ';'"


def utc(value):
    """A datetime as ISO 8601 in UTC to the second, as the Table Schema `datetime` type reads it."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def joined(values):
    return ";".join(values)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type
    description: str
    value: Any  # a function of the row's object
    required: bool = False
    unique: bool = False

    def descriptor(self):
        description = self.description
        if self.type == "string":
            description = f"{description.rstrip('.')}. {SCHEMA_NOTE}"
        field = {"name": self.name, "type": self.type, "description": description}
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if constraints:
            field["constraints"] = constraints
        return field
