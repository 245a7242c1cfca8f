"""schema.org JSON-LD for a resource's page: a CreativeWork with what it is about, who
publishes it and its licence, so search engines and other maps can read it."""

from django.conf import settings

# The licences the library names most, by the page that states each.
LICENCE_URLS = {
    "cc by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc by-sa 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc by-nc 4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ogl v3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "w3c permissive document license": "https://www.w3.org/copyright/software-license/",
}


def _defined_term(term):
    """An area of concern, named by the IRI the SKOS export gives its concept (its page)."""
    return {
        "@type": "DefinedTerm",
        "@id": term.concept_iri,
        "name": term.name,
        "url": term.concept_iri,
        "inDefinedTermSet": term.vocabulary.scheme_iri,
    }


def _publisher(resource):
    publisher = {"@type": "Organization", "name": resource.publisher_name}
    organisation = resource.publisher_on_map
    if organisation is not None:
        publisher["@id"] = settings.SITE_URL + organisation.get_absolute_url()
        publisher["name"] = resource.publisher_name or organisation.name
    return publisher


def _licence(text):
    return LICENCE_URLS.get(text.casefold()) or {"@type": "CreativeWork", "name": text}


def resource_data(resource):
    """The schema.org `CreativeWork` describing a published resource, as a dict. Expects its
    areas (with their vocabulary) and publisher joined (`Resource.objects.for_listing()`)."""
    page = settings.SITE_URL + resource.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": page,
        "name": resource.title,
        "description": resource.summary,
        "url": resource.url,
        "mainEntityOfPage": page,
        "genre": resource.get_kind_display(),
        "inLanguage": resource.language,
        "isAccessibleForFree": resource.free,
    }
    areas = [_defined_term(term) for term in resource.areas.all()]
    if areas:
        data["about"] = areas
    if resource.publisher_name or resource.publisher_on_map:
        data["publisher"] = _publisher(resource)
    if resource.licence:
        data["license"] = _licence(resource.licence)
    if resource.year:
        data["datePublished"] = str(resource.year)
    return data
