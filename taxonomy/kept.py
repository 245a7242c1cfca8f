"""The taxonomy's values built after each write (ethicalmap/kept.py), not by its visitors."""

from ethicalmap.kept import Kept
from taxonomy.models import Term

# {term pk: published organisations under the term or a narrower one}, for every term: the
# glossary's counts.
term_counts = Kept("term-counts", lambda: Term.objects.tree().organisation_counts())
# {term pk: published organisations classified under the term itself}: the API's counts.
direct_counts = Kept(
    "term-direct-counts",
    lambda: dict(Term.objects.with_counts().values_list("pk", "organisation_count")),
)
