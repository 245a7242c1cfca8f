"""Full-text search over organisations, the one place that knows which database it runs on.

PostgreSQL: full-text search with ranking over a stored, indexed vector (name weighted above
summary, description and tags), and trigram similarity on the name so a typo still finds the
organisation (pg_trgm's word similarity, default threshold 0.6).
SQLite: a portable fallback where every word must appear in the name, summary, description or a
tag, ranked by where it was found.

Both return the queryset filtered and annotated with `rank` (higher is better).
"""

import re

from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8


def normalise_query(text):
    """The words of a search, without control characters, bounded in length and number."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")[:MAX_QUERY_LENGTH]
    return " ".join(text.split()[:MAX_WORDS])


def _postgres(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    # Both conditions are served by GIN indexes (migration 0004): the stored search vector,
    # which includes the tags, and trigrams of the name for typos.
    query = SearchQuery(text, search_type="websearch", config="english")
    return queryset.filter(Q(search_vector=query) | Q(name__trigram_word_similar=text)).annotate(
        rank=Greatest(
            SearchRank(F("search_vector"), query),
            TrigramWordSimilarity(text, "name"),
            output_field=FloatField(),
        )
    )


def _portable(queryset, text):
    words = text.split()
    matches = Q()
    for word in words:
        matches &= (
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(tags__name__iexact=word)
        )
    matching_ids = queryset.filter(matches).values("pk")
    return queryset.filter(pk__in=matching_ids).annotate(
        rank=Case(
            When(name__iexact=text, then=Value(1.0)),
            When(name__icontains=text, then=Value(0.8)),
            When(summary__icontains=text, then=Value(0.5)),
            default=Value(0.2),
            output_field=FloatField(),
        )
    )


def search_organisations(queryset, text):
    """Organisations of `queryset` matching `text`, annotated with `rank`; all of them if empty."""
    text = normalise_query(text)
    if not text:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _postgres(queryset, text)
    return _portable(queryset, text)
