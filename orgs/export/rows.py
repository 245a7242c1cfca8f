"""The rows of organisations.csv, the export's table that the API's CSV answers share: one
`Column` each, read from a record of the read model (orgs/records.py)."""

from orgs.export.columns import MULTI, Column, joined, utc
from orgs.models import REGION_ONS_CODES


def _own(name):
    return lambda r: r.row[name]


def _slugs(part):
    return lambda r: joined(item[0] for item in getattr(r, part))


# The columns of organisations.csv, the export's table that the API's CSV answers share.
ORGANISATION_COLUMNS = [
    Column("slug", "string", "Identifier on the map.", _own("slug"), True, True),
    Column("name", "string", "Name.", _own("name"), True),
    Column("url", "string", "Page on the map.", lambda r: r.url),
    Column("summary", "string", "One or two sentences.", _own("summary")),
    Column("description", "string", "Longer description (Markdown).", _own("description")),
    Column("website", "string", "Website.", _own("website")),
    Column("contact_url", "string", "Public contact page.", _own("contact_url")),
    Column("org_type", "string", "Type of organisation (a code).", _own("org_type")),
    Column("size", "string", "Size band (a code).", _own("size")),
    Column("founded", "integer", "Year founded.", _own("founded")),
    Column("city", "string", "Town or city.", _own("city")),
    Column("region", "string", "UK ITL1 region, UK-wide or international.", _own("region")),
    Column(
        "region_ons_code",
        "string",
        "ONS (GSS) code of the region.",
        lambda r: REGION_ONS_CODES.get(r.row["region"], ""),
    ),
    Column(
        "area_served",
        "string",
        "Where it works: uk-wide, or the regions and nations it serves" + MULTI,
        lambda r: joined(r.row["area_served"]),
    ),
    Column("country", "string", "ISO 3166-1 alpha-2 country code.", _own("country")),
    Column("latitude", "number", "Latitude (WGS 84).", _own("latitude")),
    Column("longitude", "number", "Longitude (WGS 84).", _own("longitude")),
    Column("org_id", "string", "Primary org-id (org-id.guide).", lambda r: r.org_id),
    Column("identifiers", "string", "Every org-id" + MULTI, lambda r: joined(r.identifiers)),
    Column("charity_number", "string", "Registered charity number.", _own("charity_number")),
    Column("company_number", "string", "Companies House number.", _own("company_number")),
    Column(
        "terms", "string", "Slugs of the terms it works on (see terms.csv)" + MULTI, _slugs("terms")
    ),
    Column("offers", "string", "Slugs of the help it offers" + MULTI, _slugs("offers")),
    Column(
        "looking_for", "string", "Slugs of the help it looks for" + MULTI, _slugs("looking_for")
    ),
    Column("tags", "string", "Tag slugs" + MULTI, _slugs("tags")),
    Column(
        "endorses", "string", "Slugs of the principles it endorses" + MULTI, _slugs("endorsements")
    ),
    Column("last_verified", "date", "When the entry was last confirmed.", _own("last_verified")),
    Column(
        "verified_by", "string", "Who confirmed it: organisation or moderator.", _own("verified_by")
    ),
    Column(
        "maintained",
        "boolean",
        "Whether someone at the organisation looks after the entry.",
        lambda r: "true" if r.row["maintained"] else "false",
    ),
    Column(
        "created",
        "datetime",
        "When it was added to the map (UTC).",
        lambda r: utc(r.row["created"]),
    ),
    Column("updated", "datetime", "When it last changed (UTC).", lambda r: utc(r.row["updated"])),
]


def export_row(record):
    """The record as a row of organisations.csv: {column name: value}."""
    return {column.name: column.value(record) for column in ORGANISATION_COLUMNS}
