import pytest

pytestmark = pytest.mark.django_db

DATA_PRIVACY = {
    "slug": "data-privacy",
    "name": "Data privacy",
    "vocabulary": "consequences",
    "definition": "Control over information about oneself.",
    "description": "Privacy is *contextual*.",
    "description_html": "<p>Privacy is <em>contextual</em>.</p>",
    "synonyms": ["privacy", "personal data"],
    "parent": None,
    "children": ["surveillance"],
    "organisation_count": 1,
    "url": "https://map.example.org/taxonomy/consequences/data-privacy/",
    "api_url": "http://testserver/api/v1/terms/data-privacy/",
}
SURVEILLANCE = {
    "slug": "surveillance",
    "name": "Surveillance",
    "vocabulary": "consequences",
    "definition": "Watching people.",
    "description": "",
    "description_html": "",
    "synonyms": [],
    "parent": "data-privacy",
    "children": [],
    "organisation_count": 1,
    "url": "https://map.example.org/taxonomy/consequences/surveillance/",
    "api_url": "http://testserver/api/v1/terms/surveillance/",
}
PROTECT_DATA = {
    "slug": "protect-data",
    "order": 1,
    "title": "Protect personal data",
    "summary": "Collect less.",
    "body": "Keep **only** what you need.",
    "body_html": "<p>Keep <strong>only</strong> what you need.</p>",
    "status": "adopted",
    "status_name": "Adopted by the community",
    "mitigates": [{"slug": "data-privacy", "name": "Data privacy", "vocabulary": "consequences"}],
    "practices": ["Map the data you hold.", "Delete what you do not need."],
    "levels": [
        {"level": 1, "name": "Aware", "description": "Knows the law."},
        {"level": 3, "name": "Practising", "description": "Minimises data."},
    ],
    "endorsement_count": 1,
    "url": "https://map.example.org/principles/protect-data/",
    "api_url": "http://testserver/api/v1/principles/protect-data/",
    "created": "2024-01-01T09:00:00Z",
    "updated": "2025-01-03T12:00:00Z",
}


def test_a_term_shows_its_definition_its_neighbours_and_its_organisation_count(client, world):
    assert client.get("/api/v1/terms/data-privacy/").json() == DATA_PRIVACY


def test_terms_are_listed_in_vocabulary_order_and_filter_by_vocabulary_and_parent(client, world):
    listed = client.get("/api/v1/terms/").json()
    assert [t["slug"] for t in listed] == [
        "data-privacy",
        "surveillance",
        "sustainability",
        "help-training",
    ]
    assert listed[:2] == [DATA_PRIVACY, SURVEILLANCE]
    assert client.get("/api/v1/terms/?parent=data-privacy").json() == [SURVEILLANCE]
    themes = client.get("/api/v1/terms/?vocabulary=themes").json()
    assert [t["slug"] for t in themes] == ["sustainability"]
    response = client.get("/api/v1/terms/?vocabulary=nope")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["vocabulary"]


def test_a_vocabulary_lists_its_terms(client, world):
    assert client.get("/api/v1/vocabularies/consequences/").json() == {
        "slug": "consequences",
        "name": "Unintended consequences",
        "description": "",
        "order": 1,
        "url": "https://map.example.org/taxonomy/#consequences",
        "api_url": "http://testserver/api/v1/vocabularies/consequences/",
        "terms": [
            {"slug": "data-privacy", "name": "Data privacy", "parent": None},
            {"slug": "surveillance", "name": "Surveillance", "parent": "data-privacy"},
        ],
    }
    listed = client.get("/api/v1/vocabularies/").json()
    assert [v["slug"] for v in listed] == ["consequences", "themes", "help"]


def test_a_principle_shows_practices_maturity_mitigated_terms_and_endorsements(client, world):
    assert client.get("/api/v1/principles/protect-data/").json() == PROTECT_DATA
    # A retired principle is not public.
    assert client.get("/api/v1/principles/").json() == [PROTECT_DATA]
    assert client.get("/api/v1/principles/retired-one/").status_code == 404


def test_relationships_link_published_organisations_only(client, world):
    green = {
        "slug": "green-code",
        "name": "Green Code Café",
        "url": "https://map.example.org/organisations/green-code/",
    }
    rights = {
        "slug": "open-rights",
        "name": "Open Rights",
        "url": "https://map.example.org/organisations/open-rights/",
    }
    link = {
        "source": green,
        "kind": "partner",
        "kind_name": "is a partner of",
        "target": rights,
        "note": "Shared projects.",
        "created": "2024-01-01T09:00:00Z",
    }
    page = {"count": 1, "count_is_exact": True, "next": None, "previous": None, "results": [link]}
    assert client.get("/api/v1/relationships/").json() == page
    assert client.get("/api/v1/relationships/?organisation=open-rights").json() == page
    assert client.get("/api/v1/relationships/?source=green-code&kind=partner").json() == page
    assert client.get("/api/v1/relationships/?kind=funds").json()["results"] == []
    response = client.get("/api/v1/relationships/?organisation=long-gone")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["organisation"]
