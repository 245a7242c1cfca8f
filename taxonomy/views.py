"""The glossary of shared definitions, a term's page, and the taxonomy as SKOS (JSON-LD)."""

import json

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from ethicalmap.middleware import public_page
from taxonomy.models import Term, Vocabulary

TERM_PAGE_ORGANISATIONS = 24
LANGUAGE = "en-GB"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
# Help terms are what organisations offer or look for, not what they work on.
HELP_RELATIONS = (("offered_by", "offers", "Offer"), ("sought_by", "looking_for", "Look for"))


def _organisation_counts():
    """{term pk: published organisations under it}: narrower terms count towards broader ones.

    Two aggregate queries whatever the number of organisations. Terms are at most two levels
    deep in the shared vocabularies, so a term's parent is its root.
    """
    through = Term.organisations.through
    published = through.objects.filter(organisation__status="published")
    direct = {
        row["term_id"]: row["n"]
        for row in published.values("term_id").annotate(n=Count("organisation_id", distinct=True))
    }
    rolled = {
        row["root"]: row["n"]
        for row in published.annotate(root=Coalesce(F("term__parent_id"), F("term_id")))
        .values("root")
        .annotate(n=Count("organisation_id", distinct=True))
    }
    return {**direct, **rolled}


@public_page
def glossary(request):
    vocabularies = list(Vocabulary.objects.with_terms())
    counts = _organisation_counts()
    for vocabulary in vocabularies:
        terms = list(vocabulary.terms.all())
        for term in terms:
            term.organisation_count = counts.get(term.pk, 0)
        roots = [t for t in terms if t.parent_id is None]
        for root in roots:
            root.narrower = [t for t in terms if t.parent_id == root.pk]
        vocabulary.roots = roots
        vocabulary.size = len(terms)
    return render(request, "taxonomy/glossary.html", {"vocabularies": vocabularies})


def _descendant_ids(term):
    """The term's pk and its narrower terms' pks, at any depth (one query)."""
    pairs = Term.objects.filter(vocabulary_id=term.vocabulary_id).values_list("pk", "parent_id")
    children = {}
    for pk, parent in pairs:
        children.setdefault(parent, []).append(pk)
    ids, frontier = {term.pk}, [term.pk]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, []) if c not in ids]
        ids.update(frontier)
    return ids


@public_page
def term_detail(request, vocabulary, term):
    term = get_object_or_404(
        Term.objects.ordered().select_related("parent__vocabulary"),
        vocabulary__slug=vocabulary,
        slug=term,
    )
    narrower = list(
        term.children.select_related("vocabulary")
        .annotate(
            organisation_count=Count(
                "organisations", filter=Q(organisations__status="published"), distinct=True
            )
        )
        .order_by("order", "name")
    )
    groups = []
    if term.vocabulary.slug == "help":
        for relation, param, verb in HELP_RELATIONS:
            organisations = getattr(term, relation).for_directory()
            groups.append(
                {
                    "heading": f"Organisations that {verb.lower()} {term.name.lower()}",
                    "organisations": organisations[:TERM_PAGE_ORGANISATIONS],
                    "count": organisations.count(),
                    "url": reverse("orgs:list") + "?" + urlencode({param: term.slug}),
                }
            )
    else:
        # Through the reverse relation: taxonomy imports nothing from the other apps.
        organisations = (
            term.organisations.model.objects.for_directory()
            .filter(terms__in=_descendant_ids(term))
            .distinct()
        )
        groups.append(
            {
                "heading": f"Organisations working on {term.name[:1].lower() + term.name[1:]}",
                "organisations": organisations[:TERM_PAGE_ORGANISATIONS],
                "count": organisations.count(),
                "url": reverse("orgs:list") + "?" + urlencode({"term": term.slug}),
            }
        )
    principles = term.principles.exclude(status="retired").order_by("order", "title")
    return render(
        request,
        "taxonomy/term.html",
        {
            "term": term,
            "narrower": narrower,
            "groups": groups,
            "principles": principles,
            "page_size": TERM_PAGE_ORGANISATIONS,
        },
    )


def _uri(path):
    return settings.SITE_URL + path


def skos_document():
    """The whole taxonomy as a SKOS vocabulary in JSON-LD, one ConceptScheme per vocabulary."""
    vocabularies = list(Vocabulary.objects.with_terms())
    uris = {t.pk: _uri(t.get_absolute_url()) for v in vocabularies for t in v.terms.all()}
    graph = []
    for vocabulary in vocabularies:
        scheme = _uri(vocabulary.get_absolute_url())
        terms = list(vocabulary.terms.all())
        graph.append(
            {
                "@id": scheme,
                "@type": "ConceptScheme",
                "prefLabel": vocabulary.name,
                "definition": vocabulary.description,
                "notation": vocabulary.slug,
                "license": LICENCE,
                "hasTopConcept": [uris[t.pk] for t in terms if not t.parent_id],
            }
        )
        for term in terms:
            concept = {
                "@id": uris[term.pk],
                "@type": "Concept",
                "prefLabel": term.name,
                "definition": term.definition,
                "notation": term.slug,
                "inScheme": scheme,
            }
            if term.synonym_list:
                concept["altLabel"] = term.synonym_list
            if term.description:
                concept["scopeNote"] = term.description
            if term.parent_id:
                concept["broader"] = uris[term.parent_id]
            else:
                concept["topConceptOf"] = scheme
            narrower = [uris[t.pk] for t in terms if t.parent_id == term.pk]
            if narrower:
                concept["narrower"] = narrower
            graph.append(concept)
    return {
        "@context": {
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "dct": "http://purl.org/dc/terms/",
            "ConceptScheme": "skos:ConceptScheme",
            "Concept": "skos:Concept",
            "prefLabel": {"@id": "skos:prefLabel", "@language": LANGUAGE},
            "altLabel": {"@id": "skos:altLabel", "@language": LANGUAGE},
            "definition": {"@id": "skos:definition", "@language": LANGUAGE},
            "scopeNote": {"@id": "skos:scopeNote", "@language": LANGUAGE},
            "notation": "skos:notation",
            "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
            "broader": {"@id": "skos:broader", "@type": "@id"},
            "narrower": {"@id": "skos:narrower", "@type": "@id"},
            "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
            "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
            "license": {"@id": "dct:license", "@type": "@id"},
        },
        "@graph": graph,
    }


@public_page
def skos(request):
    response = HttpResponse(
        json.dumps(skos_document(), ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="ethical-tech-map-taxonomy.jsonld"'
    return response
