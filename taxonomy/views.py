"""The glossary of shared definitions, a term's page, and the taxonomy as SKOS (JSON-LD)."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from ethicalmap.dataversion import data_version
from ethicalmap.middleware import public_page
from taxonomy.kept import term_counts
from taxonomy.models import Term, Vocabulary
from taxonomy.querysets import TermTree

TERM_PAGE_ORGANISATIONS = 24
TERM_PAGE_RESOURCES = 12
LANGUAGE = "en-GB"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
# Help terms are what organisations offer or look for, not what they work on.
HELP_VOCABULARY = "help"
HELP_RELATIONS = (("offers", "offer"), ("looking_for", "look for"))


@public_page
def glossary(request):
    vocabularies = list(Vocabulary.objects.with_terms())
    terms = [term for vocabulary in vocabularies for term in vocabulary.terms.all()]
    tree = TermTree.from_terms(terms)
    counts = term_counts.get(data_version(request))
    by_pk = {term.pk: term for term in terms}
    for term in terms:
        term.organisation_count = counts.get(term.pk, 0)
        term.narrower = [by_pk[pk] for pk in tree.children.get(term.pk, ())]
    for vocabulary in vocabularies:
        vocabulary.roots = [t for t in vocabulary.terms.all() if t.parent_id is None]
        vocabulary.size = len(vocabulary.terms.all())
    return render(request, "taxonomy/glossary.html", {"vocabularies": vocabularies})


def _organisation_groups(term, tree):
    """The organisations the term's page lists: those working on it or on a narrower term, or
    for a kind of help, those that offer it and those that look for it."""
    # Through the reverse relation: taxonomy imports nothing from the other apps.
    organisations = term.organisations.model.objects.for_directory()
    ids = sorted(tree.descendants([term.pk]))
    if term.vocabulary.slug == HELP_VOCABULARY:
        groups = [
            (f"Organisations that {verb} {term.name.lower()}", relation, relation)
            for relation, verb in HELP_RELATIONS
        ]
    else:
        name = term.name[:1].lower() + term.name[1:]
        groups = [(f"Organisations working on {name}", "terms", "term")]
    found = []
    for heading, relation, param in groups:
        listed = organisations.classified_under(ids, relation)
        found.append(
            {
                "heading": heading,
                "organisations": listed[:TERM_PAGE_ORGANISATIONS],
                "count": listed.count(),
                # A URL name is all of orgs this module names: the page links to the directory.
                "url": reverse("orgs:list") + "?" + urlencode({param: term.slug}),
            }
        )
    return found


def _resources(term, tree):
    """Published resources on the term or a narrower one, through the reverse relation."""
    links = term.resources.through.objects.filter(term_id__in=sorted(tree.descendants([term.pk])))
    return (
        term.resources.model.objects.published()
        .filter(pk__in=links.values("resource_id"))
        .order_by("title")[:TERM_PAGE_RESOURCES]
    )


@public_page
def term_detail(request, vocabulary, term):
    # The whole vocabulary in one query: the term, and the tree above and below it at any depth.
    by_slug = {t.slug: t for t in Term.objects.in_vocabulary(vocabulary).ordered()}
    if term not in by_slug:
        raise Http404("No such term in this vocabulary.")
    term = by_slug[term]
    terms = {t.pk: t for t in by_slug.values()}
    tree = TermTree.from_terms(terms.values())
    narrower = [terms[pk] for pk in tree.children.get(term.pk, ())]
    counts = tree.organisation_counts(pks=[t.pk for t in narrower])
    for child in narrower:
        child.organisation_count = counts.get(child.pk, 0)
    return render(
        request,
        "taxonomy/term.html",
        {
            "term": term,
            "broader": [terms[pk] for pk in reversed(tree.ancestors(term.pk))],
            "narrower": narrower,
            "groups": _organisation_groups(term, tree),
            "principles": term.principles.live().order_by("order", "title"),
            "resources": _resources(term, tree),
            "page_size": TERM_PAGE_ORGANISATIONS,
        },
    )


def skos_document():
    """The whole taxonomy as a SKOS vocabulary in JSON-LD, one ConceptScheme per vocabulary."""
    vocabularies = list(Vocabulary.objects.with_terms())
    uris = {t.pk: t.concept_iri for v in vocabularies for t in v.terms.all()}
    graph = []
    for vocabulary in vocabularies:
        scheme = vocabulary.scheme_iri
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
