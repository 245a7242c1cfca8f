"""The schema.org checker (tests/schemaorg.py) catches what it is there to catch, so the JSON-LD
tests that find no problem cannot pass for want of looking."""

import copy

from tests.schemaorg import problems, vocabulary

VALID = {
    "@context": "https://schema.org",
    "@type": "Organization",
    "@id": "https://map.example.org/organisations/fair/",
    "name": "Fair Data Trust",
    "url": "https://fair.example.org/",
    "sameAs": ["https://find-and-update.company-information.service.gov.uk/company/04354366"],
    "foundingDate": "2012",
    "location": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Leeds"},
        "geo": {"@type": "GeoCoordinates", "latitude": 53.8, "longitude": -1.55},
    },
    "knowsAbout": [
        {"@type": "DefinedTerm", "@id": "https://map.example.org/t/privacy/", "name": "Privacy"},
        {"@id": "https://map.example.org/t/ethics/"},
    ],
}


def changed(path, value):
    """VALID with the value at `path` (keys, top down) replaced."""
    document = copy.deepcopy(VALID)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return document


def test_the_vocabulary_knows_schema_org_s_classes_properties_and_data_types():
    vocab = vocabulary()
    assert {"Organization", "Place", "SearchAction", "DefinedTerm"} <= vocab.classes
    assert {"knowsAbout", "location", "geo", "query"} <= vocab.properties
    assert vocab.is_datatype("URL") and vocab.is_datatype("Integer")
    assert not vocab.is_datatype("Place")
    assert "Thing" in vocab.ancestors("LocalBusiness")


def test_a_valid_description_has_no_problem():
    assert problems(VALID) == []


def test_an_unknown_type_or_property_is_caught():
    assert problems(changed(["@type"], "Organisation")) == [
        "$: @type Organisation is not a schema.org class",
        *(
            f"$.{key}: {key} is not a property of Organisation"
            for key in ("name", "url", "sameAs", "foundingDate", "location", "knowsAbout")
        ),
    ]
    assert problems(changed(["location", "geo", "lat"], 53.8)) == [
        "$.location[0].geo[0].lat: lat is not a schema.org property"
    ]


def test_a_property_of_another_type_is_caught():
    # `geo` belongs to the Place, not to the organisation.
    document = changed(["geo"], VALID["location"]["geo"])
    assert problems(document) == ["$.geo: geo is not a property of Organization"]


def test_a_node_outside_the_property_s_range_is_caught():
    assert problems(changed(["location", "geo"], {"@type": "PostalAddress"})) == [
        "$.location[0].geo[0]: PostalAddress is not in the range of geo: "
        "['GeoCoordinates', 'GeoShape']"
    ]


def test_a_literal_where_a_node_is_needed_or_of_the_wrong_kind_is_caught():
    assert problems(changed(["location", "geo"], "53.8,-1.55")) == [
        "$.location[0].geo[0]: a literal ('53.8,-1.55') where a node is needed for geo, whose "
        "range is ['GeoCoordinates', 'GeoShape']"
    ]
    assert problems(changed(["name"], 12)) == [
        "$.name[0]: a number (12) for name, whose range is ['Text']"
    ]
    assert problems(changed(["sameAs"], ["Fair Data Trust"])) == [
        "$.sameAs[0]: 'Fair Data Trust', not an absolute URL, for sameAs, whose range is ['URL']"
    ]


def test_a_node_without_a_type_or_context_is_caught():
    document = changed(["location"], {"address": "Leeds"})
    del document["@context"]
    assert problems(document) == [
        "$: @context is None, not schema.org",
        "$.location[0]: a node without @type",
    ]


def test_an_action_may_annotate_its_own_properties_only():
    action = {
        "@context": "https://schema.org",
        "@type": "SearchAction",
        "target": "https://map.example.org/organisations/?q={q}",
        "query-input": "required name=q",
    }
    assert problems(action) == []
    assert problems({**action, "query-input": 3}) == [
        "$.query-input: an annotation holds a PropertyValueSpecification or text"
    ]
    assert problems({**action, "geo-input": "required name=q"}) == [
        "$.geo-input: annotates geo, which is not a property of this Action"
    ]
    assert problems({**VALID, "name-input": "required name=q"}) == [
        "$.name-input: an -input/-output annotation outside an Action"
    ]
