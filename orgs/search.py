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
# Names similar to the words, by trigrams, taken into a search. More than this many are names
# that hold the word itself, which the full-text condition finds anyway; only a typo in a
# name that common could be missed.
MAX_NAME_MATCHES = 1_000


def normalise_query(text):
    """The words of a search, without control characters, bounded in length and number."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")[:MAX_QUERY_LENGTH]
    return " ".join(text.split()[:MAX_WORDS])


def _postgres(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    # Both conditions are served by GIN indexes (migration 0004): the stored search vector,
    # which includes the tags, and trigrams of the name for typos. The names that match by
    # trigrams are found first, through their index: testing every row's name in the filter and
    # the ranking made the planner scan the table and cost 170 ms for a word in 40,000 of
    # 100,000 organisations; by primary key it is 47 ms, and a rare word stays under 1 ms.
    query = SearchQuery(text, search_type="websearch", config="english")
    by_name = list(
        queryset.filter(name__trigram_word_similar=text).values_list("pk", flat=True)[
            :MAX_NAME_MATCHES
        ]
    )
    return queryset.filter(Q(search_vector=query) | Q(pk__in=by_name)).annotate(
        rank=Greatest(
            SearchRank(F("search_vector"), query),
            Case(
                When(pk__in=by_name, then=TrigramWordSimilarity(text, "name")),
                default=Value(0.0),
                output_field=FloatField(),
            ),
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
