"""Path lists for the long-tail and cold passes: many distinct requests, ours and Datasette's.

    python benchmarks/longtail_paths.py data/orgs_<N>.db OUT_DIR [--seed 42] [--paths 3000]

Read from the SQLite export of the bench database (exactly its published rows, `export_sqlite.py`),
so every request selects the same rows on both sides. For each workload it writes, one path a line:

    OUT_DIR/<workload>.<set>.us     our path
    OUT_DIR/<workload>.<set>.ds     Datasette's path for the same logical request, same line

with three disjoint sets: `run` (up to --paths, drawn at random by wrk), `warm` (--warm, the
warm-up, so it fills no cache the run reads) and `cold` (--cold, one request each, sequentially).
The same database and seed give the same files.

Workloads:
  b         organisations under one term in one region, sometimes also of one type (API JSON)
  c         API search for one word; words from names, summaries and descriptions, drawn evenly
            from every band of document frequency (a word in one organisation to one in half)
  d         one organisation by its slug
  e         the HTML directory searched for one word (the words of c)
  e-filter  the HTML directory filtered like b

Terms are terms without narrower terms: our `term=` also selects narrower terms, Datasette's
filter (`under_term`) only the term itself. English stop words are left out: PostgreSQL drops
them from a query, FTS5 does not.
"""

import argparse
import math
import os
import random
import re
import sqlite3
from urllib.parse import quote, urlencode

# PostgreSQL's `english` stop words (snowball), which our search ignores.
STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now"""
STOP = set(STOP_WORDS.split())
API_LIST = "/api/v1/organisations/"
DS_JSON = "/orgs/orgs.json?_size=50&_shape=objects"
DS_HTML = "/orgs/orgs?_size=50"


def under_term(term_id):
    """Datasette's filter for "linked to this term". Not `_through`: Datasette 0.65 numbers its
    parameter :p0 whatever other filters there are, so with `region=` the term was compared with
    the region, and every such page was empty (the long tail of b and e-filter measured
    Datasette answering nothing until 2026-12-01). `_where` with the term's id (a number this
    script chose) has no parameter to collide with."""
    where = f"id in (select org_id from org_terms where term_id = {int(term_id)})"
    return "&_where=" + quote(where)


def filter_combos(db, rng):
    """(term slug, term id, region, type or None) with at least one organisation, shuffled."""
    leaves = db.execute(
        "select id, slug from terms t "
        "where not exists (select 1 from terms c where c.parent_id = t.id)"
    ).fetchall()
    slugs = dict(leaves)
    pairs = db.execute(
        "select ot.term_id, o.region, count(*) from org_terms ot join orgs o on o.id = ot.org_id "
        "where o.region != '' group by 1, 2"
    ).fetchall()
    triples = db.execute(
        "select ot.term_id, o.region, o.org_type, count(*) from org_terms ot "
        "join orgs o on o.id = ot.org_id where o.region != '' and o.org_type != '' group by 1, 2, 3"
    ).fetchall()
    combos = [(slugs[t], t, r, None) for t, r, _ in pairs if t in slugs]
    combos += [(slugs[t], t, r, k) for t, r, k, _ in triples if t in slugs]
    combos.sort(key=lambda c: (c[0], c[2], c[3] or ""))
    rng.shuffle(combos)
    return combos


def filtered(combo, html):
    slug, term_id, region, kind = combo
    us = {"term": slug, "region": region} | ({"type": kind} if kind else {})
    ds = f"&_sort=name{under_term(term_id)}&region={quote(region)}"
    if kind:
        ds += f"&org_type={quote(kind)}"
    return (
        ("/organisations/?" if html else API_LIST + "?") + urlencode(us),
        (DS_HTML if html else DS_JSON) + ds,
    )


def words(db, rng, count):
    """Words drawn evenly from every band of document frequency (powers of two), shuffled."""
    db.execute("create virtual table temp.vocab using fts5vocab(main, orgs_fts, row)")
    vocab = db.execute("select term, doc from temp.vocab order by term").fetchall()
    bands = {}
    for word, docs in vocab:
        if len(word) >= 3 and word not in STOP and re.fullmatch(r"[a-z]+", word):
            bands.setdefault(int(math.log2(docs)), []).append(word)
    for band in bands.values():
        rng.shuffle(band)
    chosen = []
    while len(chosen) < count and any(bands.values()):
        for key in sorted(bands):  # one from each band in turn, until they run out
            if bands[key]:
                chosen.append(bands[key].pop())
    rng.shuffle(chosen)
    return chosen[:count]


def split(items, warm, cold, cap):
    """Disjoint cold, warm and run sets; the run set shrinks first when there are few items."""
    cold_set, rest = items[:cold], items[cold:]
    warm = min(warm, len(rest) // 10) if len(rest) < warm * 10 else warm
    return {"cold": cold_set, "warm": rest[:warm], "run": rest[warm : warm + cap]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--paths", type=int, default=3000)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--cold", type=int, default=50)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rng = random.Random(args.seed)
    total = args.paths + args.warm + args.cold

    combos = filter_combos(db, rng)[:total]
    word_list = words(db, rng, total)
    slugs = [s for (s,) in db.execute("select slug from orgs order by slug")]
    rng.shuffle(slugs)
    slugs = slugs[:total]
    workloads = {
        "b": [filtered(c, html=False) for c in combos],
        "c": [
            (f"{API_LIST}?search={quote(w)}", f"{DS_JSON}&_search={quote(w)}") for w in word_list
        ],
        "d": [
            (f"{API_LIST}{s}/", f"/orgs/org_detail.json?_shape=objects&slug={quote(s)}")
            for s in slugs
        ],
        "e": [
            (f"/organisations/?q={quote(w)}", f"{DS_HTML}&_search={quote(w)}") for w in word_list
        ],
        "e-filter": [filtered(c, html=True) for c in combos],
    }
    os.makedirs(args.out, exist_ok=True)
    for name, pairs in workloads.items():
        sets = split(pairs, args.warm, args.cold, args.paths)
        for set_name, chosen in sets.items():
            for side, index in (("us", 0), ("ds", 1)):
                path = os.path.join(args.out, f"{name}.{set_name}.{side}")
                with open(path, "w") as f:
                    f.writelines(pair[index] + "\n" for pair in chosen)
        print(f"  paths {name:<8} run {len(sets['run']):>5}  warm {len(sets['warm']):>4}  "
              f"cold {len(sets['cold']):>3}")  # fmt: skip


if __name__ == "__main__":
    main()
