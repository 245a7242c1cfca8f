"""Full-text search over organisations, the one place that knows which database it runs on.

PostgreSQL: full-text search with ranking over a stored, indexed vector (name weighted above
summary, description and tags), and trigram similarity on the name so a typo still finds the
organisation (pg_trgm's word similarity, default threshold 0.6).
SQLite: a portable query where every word must appear in the name, summary, description or a
tag, ranked by where it was found; and, for typos, a trigram similarity on the name: an FTS5
table with the trigram tokenizer (kept by triggers, see migration 0006) finds the names that share
trigrams with the words, and the share of each word's trigrams found in the name's closest word
is the similarity, with pg_trgm's threshold. It is a little more forgiving than pg_trgm's word
similarity, which weighs the trigrams of the name that are not the word's too: "privcy" finds
"Privacy International" on SQLite (0.71) and not on PostgreSQL (0.57).

Both read the words as PostgreSQL's `websearch_to_tsquery` does: "a quoted phrase" must appear as
it is, and -word excludes what holds the word. Names similar to the words (typos) are added only
when the words themselves find fewer than `FEW_EXACT_MATCHES`: a fallback for a search that found
(almost) nothing, not noise around one that worked, and not a second scan of the names for every
common word.

Both return the queryset filtered and annotated with `rank` (higher is better).
"""

import re
from itertools import groupby

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import BigIntegerField, Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# Names similar to the words, by trigrams, taken into a search. More than this many are names
# that hold the word itself, which the full-text condition finds anyway; only a typo in a
# name that common could be missed.
MAX_NAME_MATCHES = 1_000
# Fewer exact matches than this, and names similar to the words are searched too.
FEW_EXACT_MATCHES = 3
# A list (the directory, the API) shows at most this many matches of a search: the best by rank
# (`ranked_keys`).
BEST_MATCHES = 1_000
RANK_ORDER = ("-rank", "name", "pk")


def normalise_query(text):
    """The words of a search, without control characters, bounded in length and number."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")[:MAX_QUERY_LENGTH]
    return " ".join(text.split()[:MAX_WORDS])


def ranked_keys(queryset, text, limit):
    """The primary keys of the best `limit` organisations of `queryset` matching `text`, best
    first (RANK_ORDER). A list ranks a search once and reads everything else by these keys: its
    count, its page and its facets.

    Before, at 100,000 organisations, a common word was found again by the count, by the page and
    by each facet count (650 ms for "community" in the directory), and ranked by reading every
    match's row. On PostgreSQL, a search that finds more than a few is ranked in the narrow
    search entries (orgs.models.SearchEntry): "community", 41,000 matches, in 28 ms rather than
    73, on one core. `queryset` holds published organisations only, as every list does."""
    text = normalise_query(text)
    if connection.vendor == "postgresql":
        query = _query(text)
        if not _has_few(queryset.filter(search_vector=query)):
            return list(_best_entries(queryset, query, limit))
        matches = _postgres(queryset, text, few=True)
    else:
        matches = search_organisations(queryset, text)
    return list(matches.order_by(*RANK_ORDER).values_list("pk", flat=True)[:limit])


def _best_entries(queryset, query, limit):
    """The best `limit` of `queryset` matching `query`, ranked in the search entries. They hold
    the published organisations; a queryset narrowed further (a region, a term) is joined by
    key. Ties are broken as RANK_ORDER does: the entry's name is the organisation's."""
    from django.contrib.postgres.search import SearchRank

    from orgs.models import Organisation, SearchEntry

    entries = SearchEntry.objects.filter(search_vector=query)
    if queryset.query.where != Organisation.objects.published().query.where:
        entries = entries.filter(pk__in=queryset.values("pk"))
    return (
        entries.annotate(rank=SearchRank(F("search_vector"), query))
        .order_by(*RANK_ORDER)
        .values_list("pk", flat=True)[:limit]
    )


def in_rank_order(queryset, keys):
    """The organisations of `queryset` among `keys`, with a `rank` that orders them as `keys`
    are (RANK_ORDER), for whatever lists them as a queryset: another sort, a cursor."""
    if not keys:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.fields import ArrayField

        position = Func(
            Value(list(keys), output_field=ArrayField(BigIntegerField())),
            F("pk"),
            function="array_position",
            output_field=FloatField(),
        )
        rank = Value(0.0) - position
    else:
        rank = Case(
            *(When(pk=key, then=Value(float(-i))) for i, key in enumerate(keys)),
            output_field=FloatField(),
        )
    return queryset.filter(pk__in=keys).annotate(rank=rank)


def ordered_by_rank(queryset):
    """Whether `queryset` is ordered by rank and nothing else (RANK_ORDER)."""
    return tuple(queryset.query.order_by) == RANK_ORDER


def _has_few(queryset):
    # Without the list's ordering: "the first three by name" made PostgreSQL walk the name index
    # until three matched, the whole table for a rare word (144 ms at 100,000); unordered, the
    # search index finds them (1 ms).
    return queryset.order_by()[:FEW_EXACT_MATCHES].count() < FEW_EXACT_MATCHES


def _query(text):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, search_type="websearch", config="english")


def _postgres(queryset, text, *, few=None):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    # Both conditions are served by GIN indexes (migration 0004): the stored search vector,
    # which includes the tags, and trigrams of the name for typos. The names that match by
    # trigrams are found first, through their index: testing every row's name in the filter and
    # the ranking made the planner scan the table and cost 170 ms for a word in 40,000 of
    # 100,000 organisations; by primary key it is 47 ms, and a rare word stays under 1 ms.
    query = _query(text)
    exact = queryset.filter(search_vector=query)
    text_rank = SearchRank(F("search_vector"), query)
    if not (_has_few(exact) if few is None else few):
        return exact.annotate(rank=text_rank)
    wanted, excluded = _wanted_and_excluded(text)
    similar = queryset.filter(name__trigram_word_similar=wanted)
    for term in excluded:
        similar = similar.exclude(
            search_vector=SearchQuery(term, search_type="phrase", config="english")
        )
    by_name = list(similar.values_list("pk", flat=True)[:MAX_NAME_MATCHES])
    # The keys as a list, not a subquery: PostgreSQL then joins the two index scans (60 ms at
    # 100,000 for a word found nowhere, by a scan of the table; now 1 ms).
    return queryset.filter(Q(search_vector=query) | Q(pk__in=by_name)).annotate(
        rank=Greatest(
            text_rank,
            Case(
                When(pk__in=by_name, then=TrigramWordSimilarity(wanted, "name")),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            output_field=FloatField(),
        )
    )


_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_websearch(text):
    """(words or phrases to find, words or phrases to exclude), as websearch_to_tsquery reads
    them: "quoted phrase", -excluded, and `or` between two terms read as a plain word."""
    wanted, excluded = [], []
    for minus, phrase, word in _TERM.findall(text):
        if word:
            minus, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        phrase = " ".join(phrase.split())
        if phrase:
            (excluded if minus else wanted).append(phrase)
    return wanted, excluded


def _holds(term):
    return (
        Q(name__icontains=term)
        | Q(summary__icontains=term)
        | Q(description__icontains=term)
        | Q(tags__name__iexact=term)
    )


def _without(matches, queryset, excluded):
    for term in excluded:
        matches = matches.exclude(pk__in=queryset.filter(_holds(term)).values("pk"))
    return matches


def _word_matches(queryset, text):
    wanted, excluded = parse_websearch(text)
    matches = queryset
    for term in wanted:
        matches = matches.filter(pk__in=queryset.filter(_holds(term)).values("pk"))
    return _without(matches, queryset, excluded).values("pk")


def _word_rank(text):
    return Case(
        When(name__iexact=text, then=Value(1.0)),
        When(name__icontains=text, then=Value(0.8)),
        When(summary__icontains=text, then=Value(0.5)),
        default=Value(0.2),
        output_field=FloatField(),
    )


def _wanted_and_excluded(text):
    """(the words to find as one text, without the syntax: what similarity and the rank compare;
    the words or phrases to exclude)."""
    wanted, excluded = parse_websearch(text)
    return " ".join(wanted), excluded


def _portable(queryset, text):
    return queryset.filter(pk__in=_word_matches(queryset, text)).annotate(
        rank=_word_rank(_wanted_and_excluded(text)[0])
    )


# --- Typo tolerance on SQLite -----------------------------------------------------------------

NAME_INDEX = "orgs_organisation_name_search"
# As migration 0006 creates them; put back after a migration that rebuilds the table.
NAME_INDEX_TRIGGERS = {
    f"{NAME_INDEX}_insert": f"""CREATE TRIGGER IF NOT EXISTS {NAME_INDEX}_insert
    AFTER INSERT ON orgs_organisation BEGIN
      INSERT INTO {NAME_INDEX} (rowid, name) VALUES (new.id, new.name);
    END""",
    f"{NAME_INDEX}_update": f"""CREATE TRIGGER IF NOT EXISTS {NAME_INDEX}_update
    AFTER UPDATE OF id, name ON orgs_organisation BEGIN
      DELETE FROM {NAME_INDEX} WHERE rowid = old.id;
      INSERT INTO {NAME_INDEX} (rowid, name) VALUES (new.id, new.name);
    END""",
    f"{NAME_INDEX}_delete": f"""CREATE TRIGGER IF NOT EXISTS {NAME_INDEX}_delete
    AFTER DELETE ON orgs_organisation BEGIN
      DELETE FROM {NAME_INDEX} WHERE rowid = old.id;
    END""",
}
# As pg_trgm's default word_similarity_threshold: the share of the words' trigrams to be found.
NAME_SIMILARITY_THRESHOLD = 0.6


def _words(text):
    return re.findall(r"\w+", text.lower())


def _trigrams(word):
    """pg_trgm's trigrams of a word: padded with two spaces in front and one behind, so that its
    start and end count."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def name_similarity(text, name):
    """The share of the trigrams of `text`'s words found in the closest word of `name` to each.

    Word by word, so that a typo costs only the trigrams it touches ("privcy" holds 5 of its 7
    in "privacy") while trigrams scattered over a long name do not add up to a match.
    """
    name_words = [_trigrams(word) for word in set(_words(name))]
    total = found = 0
    for word in _words(text):
        grams = _trigrams(word)
        total += len(grams)
        found += max((len(grams & other) for other in name_words), default=0)
    return found / total if total else 0.0


def _similar_names(queryset, text):
    """{pk: similarity} of the organisations whose name is similar enough to the words.

    The FTS5 trigram index finds the names holding any trigram of the words, those sharing most
    first (its bm25 rank); `name_similarity` decides and ranks.
    """
    inner = {word[i : i + 3] for word in _words(text) for i in range(len(word) - 2)}
    if not inner:
        return {}
    match = " OR ".join('"{}"'.format(gram.replace('"', '""')) for gram in sorted(inner))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, name FROM {NAME_INDEX} WHERE {NAME_INDEX} MATCH %s "
            "ORDER BY rank LIMIT %s",
            [match, MAX_NAME_MATCHES],
        )
        candidates = cursor.fetchall()
    similar = {}
    for pk, name in candidates:
        similarity = name_similarity(text, name)
        if similarity >= NAME_SIMILARITY_THRESHOLD:
            similar[pk] = round(similarity, 3)
    return similar


def _sqlite(queryset, text):
    exact = _portable(queryset, text)
    if not _has_few(exact):
        return exact
    wanted, excluded = _wanted_and_excluded(text)
    similar = _similar_names(queryset, wanted)
    if not similar:
        return exact
    # One WHEN per similarity rather than per organisation: a few dozen at most.
    by_similarity = sorted(similar.items(), key=lambda item: item[1])
    name_rank = Case(
        *(
            When(pk__in=[pk for pk, _ in group], then=Value(similarity))
            for similarity, group in groupby(by_similarity, key=lambda item: item[1])
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    similar_allowed = _without(queryset.filter(pk__in=list(similar)), queryset, excluded)
    return queryset.filter(
        Q(pk__in=_word_matches(queryset, text)) | Q(pk__in=similar_allowed.values("pk"))
    ).annotate(rank=Greatest(_word_rank(wanted), name_rank, output_field=FloatField()))


def install_sqlite_name_index(using=DEFAULT_DB_ALIAS, **kwargs):
    """Put back the triggers that keep the SQLite name index, and refill it, if one is missing.

    Connected to post_migrate: SQLite rebuilds a table to alter it, which drops its triggers, so
    a later migration of the organisations would leave the index behind the data for good.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{NAME_INDEX}%"],
        )
        present = {name for (name,) in cursor.fetchall()}
        if NAME_INDEX not in present or set(NAME_INDEX_TRIGGERS) <= present:
            return  # not migrated yet, or nothing missing
        for sql in NAME_INDEX_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {NAME_INDEX}")
        cursor.execute(
            f"INSERT INTO {NAME_INDEX} (rowid, name) SELECT id, name FROM orgs_organisation"
        )


def search_organisations(queryset, text):
    """Organisations of `queryset` matching `text`, annotated with `rank`; all of them if empty."""
    text = normalise_query(text)
    if not text:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _postgres(queryset, text)
    if connection.vendor == "sqlite":
        return _sqlite(queryset, text)
    return _portable(queryset, text)
