from django.shortcuts import get_object_or_404, render

from taxonomy.models import Term, Vocabulary


def glossary(request):
    return render(
        request, "taxonomy/glossary.html", {"vocabularies": Vocabulary.objects.with_terms()}
    )


def term_detail(request, vocabulary, term):
    term = get_object_or_404(Term.objects.ordered(), vocabulary__slug=vocabulary, slug=term)
    # Through the reverse relation: taxonomy imports nothing from the other apps.
    organisations = term.organisations.for_directory()
    return render(request, "taxonomy/term.html", {"term": term, "organisations": organisations})
