"""schema.org JSON-LD for a profile, so search engines and other maps can read the entry.

The data is built as a dict and put in the page by `ethicalmap.jsonld.jsonld_script`, which
escapes it so that no text an organisation or a submitter wrote can close its <script> element.
"""

from ethicalmap.jsonld import jsonld_script
from orgs.models import Region
from taxonomy.models import concept_iri, scheme_iri

# Public registers an org-id prefix points to, for `sameAs`.
REGISTERS = {
    "GB-CHC-": "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{}",
    "GB-SC-": "https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number={}",
    "GB-COH-": "https://find-and-update.company-information.service.gov.uk/company/{}",
}


def register_url(org_id):
    """The public register page of an org-id, or '' when we know of none."""
    for prefix, template in REGISTERS.items():
        if org_id.startswith(prefix):
            return template.format(org_id.removeprefix(prefix))
    return ""


def _address(record):
    """The organisation's `PostalAddress`: as much of it as the map knows."""
    row = record.row
    address = {"@type": "PostalAddress"}
    if row["city"]:
        address["addressLocality"] = row["city"]
    if row["region"] and row["region"] not in {Region.UK_WIDE, Region.INTERNATIONAL}:
        address["addressRegion"] = record.region_name
    if row["country"]:
        address["addressCountry"] = row["country"]
    return address


def _location(record, address):
    """The `Place` it is based at: its address, and its coordinates when the map has them."""
    place = {"@type": "Place", "address": address}
    if record.has_location:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": record.row["latitude"],
            "longitude": record.row["longitude"],
        }
    return place


def _defined_term(slug, name, vocabulary):
    """A term it works on, named by the IRI the SKOS export gives its concept (its page)."""
    iri = concept_iri(vocabulary, slug)
    return {
        "@type": "DefinedTerm",
        "@id": iri,
        "name": name,
        "url": iri,
        "inDefinedTermSet": scheme_iri(vocabulary),
    }


def organisation_data(record):
    """The schema.org `Organization` describing an organisation's record (orgs/records.py),
    with its terms and tags, as a dict."""
    row = record.row
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": record.url,
        "name": row["name"],
        "description": row["summary"],
        "mainEntityOfPage": record.url,
    }
    if row["website"]:
        data["url"] = row["website"]
    # Only pages that identify the organisation: its entries in public registers. Its website
    # is `url`, its contact page `contactPoint`.
    same_as = [url for url in map(register_url, record.identifiers) if url]
    if same_as:
        data["sameAs"] = same_as
    if record.identifiers:
        data["identifier"] = [
            {"@type": "PropertyValue", "propertyID": "org-id", "value": org_id}
            for org_id in record.identifiers
        ]
    address = _address(record)
    data["address"] = address
    data["location"] = _location(record, address)
    if row["founded"]:
        data["foundingDate"] = str(row["founded"])
    if row["contact_url"]:
        data["contactPoint"] = {"@type": "ContactPoint", "url": row["contact_url"]}
    if record.terms:
        data["knowsAbout"] = [_defined_term(*term) for term in record.terms]
    tags = [name for _, name in record.tags]
    if tags:
        data["keywords"] = ", ".join(tags)
    return data


def organisation_jsonld(record):
    return jsonld_script(organisation_data(record))
