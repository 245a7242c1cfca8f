"""How organisations are linked: the graph of the network view, laid out on the server.

The most-linked organisations among the filtered ones (at most MAX_NODES, so the drawing stays
light) and the relationships between them. "With shared areas" also joins two organisations
that share narrower areas of concern (online safety, data rights...): as many as they must share
is raised from one until at most MAX_SHARED_PAIRS pairs are left, so the drawing stays readable
as the map grows; organisations left with no line are not drawn, and every area's members are
listed in words. The layout is a small force-directed one (Fruchterman-Reingold) in plain
Python, seeded from the organisations' slugs: the same data always draws the same picture, on
any database. Every organisation drawn is named, by its name beside its circle or, where no name
fits, by a number in a key below; no two labels overlap (the layout spreads until they fit).
"""

import math
import zlib
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Case, Count, Exists, OuterRef, When

from ethicalmap.caching import versioned_get_or_set
from orgs.facets import organisation_ids
from orgs.maps.drawing import around_circle, fit_labels
from orgs.models import Organisation, Relationship

MAX_NODES = 150
MAX_SHARED_PAIRS = 120
SHARED = "shared"  # the kind of an edge between two organisations sharing narrower areas
WIDTH, MARGIN = 960, 36
UNIT = 95  # the side of the box a group of four nodes gets, in SVG units
GROUP_GAP = 30
# How far the groups are spread, in turn, until every organisation is named.
SPREADS = (1.0, 1.4, 2.0, 2.8, 4.0)
LABEL_SIZE, NUMBER_SIZE = 11.5, 10.5
LABEL_LENGTH = 32
ITERATIONS = 90
CACHE_SECONDS = 60 * 60

# How a relationship reads from its target's side, for the adjacency list.
INVERSE = {
    Relationship.Kind.PARTNER: "is a partner of",
    Relationship.Kind.FUNDS: "is funded by",
    Relationship.Kind.MEMBER_OF: "has as a member",
    Relationship.Kind.SPUN_OUT_OF: "spun out",
    Relationship.Kind.SUPPLIES: "is supplied by",
    Relationship.Kind.COLLABORATES: "collaborates with",
}


@dataclass
class Node:
    key: str
    label: str
    url: str
    seed: str = ""  # what its starting point is drawn from: the slug, the same on any database
    degree: int = 0
    hub: bool = False  # an area of concern, listed in words with its members
    position: int = 0  # an area's place in the landscape
    org_type: str = ""
    x: float = 0.0
    y: float = 0.0
    r: float = 5.0
    labelled: bool = False
    label_y: float = 0.0
    short_label: str = ""
    label_x: float = 0.0
    label_anchor: str = "middle"
    label_box: tuple = ()
    number: int = 0  # its number in the key when its name does not fit on the drawing
    links: list = field(default_factory=list)  # (phrase, other Node) for the adjacency list


@dataclass
class Edge:
    source: Node
    target: Node
    kind: str  # a Relationship.Kind, or SHARED for two organisations sharing narrower areas
    label: str = ""
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0


@dataclass
class Graph:
    nodes: list
    edges: list
    linked_total: int  # organisations with at least one relationship among the filtered ones
    shown: int  # organisations drawn
    filtered_total: int
    hubs: list = field(default_factory=list)
    height: int = 0
    considered: int = 0  # organisations looked at (the most linked, at most MAX_NODES)
    shared_threshold: int = 0  # how many narrower areas two organisations share to be joined

    @property
    def organisations(self):
        return sorted((n for n in self.nodes if not n.hub), key=lambda n: n.label.lower())

    @property
    def kinds(self):
        used = {e.kind for e in self.edges}
        return [(k.value, k.label) for k in Relationship.Kind if k.value in used]

    @property
    def key(self):
        """The organisations named by a number on the drawing, in number order."""
        return sorted((n for n in self.nodes if n.number), key=lambda n: n.number)


def _degrees(ids):
    """{organisation pk: relationships within the filtered set}, for the linked ones only.

    Two GROUP BY queries over the relationships (as source, as target), summed here: cheaper
    than counting per organisation, since most organisations have no link at all.
    """
    # Two IN (subquery) conditions on the (source, target) index lead SQLite to probe every
    # pair of filtered organisations; a correlated EXISTS for the target end does not.
    within = (
        Relationship.objects.filter(source_id__in=ids)
        .filter(Exists(ids.filter(pk=OuterRef("target_id"))))
        .order_by()
    )
    degrees = {}
    for column in ("source_id", "target_id"):
        for pk, count in within.values_list(column).annotate(n=Count("pk")):
            degrees[pk] = degrees.get(pk, 0) + count
    return degrees


def _choose(ids, degrees, with_terms):
    """The organisations to consider: the most linked, and with shared areas the others next."""
    # The most linked first; ties by primary key, so the same data always gives the same graph.
    linked = sorted(degrees, key=lambda pk: (-degrees[pk], pk))[:MAX_NODES]
    fields = ("pk", "slug", "name", "org_type")
    if with_terms:
        # Room left after the linked ones goes to the others, by name, to show the areas shared.
        chosen = list(
            Organisation.objects.filter(pk__in=ids)
            .annotate(unlinked=Case(When(pk__in=linked, then=0), default=1))
            .order_by("unlinked", "name", "pk")
            .only(*fields)[:MAX_NODES]
        )
    else:
        chosen = list(Organisation.objects.filter(pk__in=linked).only(*fields))
    chosen.sort(key=lambda org: (-degrees.get(org.pk, 0), org.name.casefold(), org.slug))
    return chosen


def build_graph(filtered, taxonomy, *, with_terms=False):
    """The graph of the filtered organisations (see the module docstring)."""
    ids = organisation_ids(filtered)
    degrees = _degrees(ids)
    total = Organisation.objects.filter(pk__in=ids).count()
    chosen = _choose(ids, degrees, with_terms)
    nodes = {
        org.pk: Node(
            key=f"o{org.pk}",
            label=org.name,
            url=org.get_absolute_url(),
            seed=org.slug,
            degree=degrees.get(org.pk, 0),
            org_type=org.org_type,
        )
        for org in chosen
    }
    edges = []
    relationships = (
        Relationship.objects.public()
        .filter(source_id__in=list(nodes), target_id__in=list(nodes))
        .order_by("source__name", "kind", "target__name")
    )
    for rel in relationships:
        source, target = nodes[rel.source_id], nodes[rel.target_id]
        edges.append(Edge(source, target, rel.kind, rel.get_kind_display()))
        source.links.append((rel.get_kind_display(), target))
        target.links.append((INVERSE[rel.kind], source))

    hubs, threshold = [], 0
    if with_terms and nodes:
        hubs, shared, threshold = _shared_areas(nodes, taxonomy)
        edges.extend(shared)
        # An organisation with no line to another would float alone: the lists name it.
        nodes = {pk: node for pk, node in nodes.items() if node.links}

    graph = Graph(
        nodes=list(nodes.values()),
        edges=edges,
        linked_total=len(degrees),
        shown=len(nodes),
        filtered_total=total,
        hubs=hubs,
        considered=len(chosen),
        shared_threshold=threshold,
    )
    layout(graph)
    return graph


def _shared_areas(nodes, taxonomy):
    """The areas of concern with the organisations on each (for the list in words), and an edge
    between every two organisations that share at least `threshold` narrower areas, the
    threshold raised from one until at most MAX_SHARED_PAIRS pairs are left. One query."""
    rows = (
        Organisation.terms.through.objects.filter(
            organisation_id__in=list(nodes), term_id__in=taxonomy.ids("consequences")
        )
        .values_list("organisation_id", "term_id")
        .order_by()
    )
    by_area, by_narrower = {}, {}
    for org, term_id in rows:
        term = taxonomy.by_pk[term_id]
        by_area.setdefault(taxonomy.root_of(term).pk, set()).add(org)
        if term.parent_id:
            by_narrower.setdefault(term, set()).add(org)
    hubs = []
    for position, term in enumerate(taxonomy.roots("consequences"), start=1):
        members = sorted((nodes[pk] for pk in by_area.get(term.pk, ())), key=_by_name)
        if members:
            hub = Node(key=f"t{term.pk}", label=term.name, url=term.get_absolute_url(),
                       hub=True, position=position, degree=len(members))  # fmt: skip
            hub.links = [("", node) for node in members]
            hubs.append(hub)
    pairs = {}
    for term, members in by_narrower.items():
        for a, b in combinations(sorted((nodes[pk] for pk in members), key=_by_name), 2):
            pairs.setdefault((a.key, b.key), (a, b, []))[2].append(term)
    threshold = 1
    while sum(len(terms) >= threshold for *_, terms in pairs.values()) > MAX_SHARED_PAIRS:
        threshold += 1
    edges = []
    for a, b, terms in sorted(pairs.values(), key=lambda p: (_by_name(p[0]), _by_name(p[1]))):
        if len(terms) >= threshold:
            names = _names(sorted(term.name for term in terms))
            edges.append(Edge(a, b, SHARED, names))
            a.links.append((f"shares {names} with", b))
            b.links.append((f"shares {names} with", a))
    return hubs, edges, threshold


def _by_name(node):
    return (node.label.casefold(), node.seed)


def _names(names):
    names = [n if n[1:2].isupper() else n[:1].lower() + n[1:] for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _initial(seed):
    """A deterministic starting point in the unit square for a node."""
    h = zlib.crc32(seed.encode())
    return ((h & 0xFFFF) / 0xFFFF, (h >> 16) / 0xFFFF)


def _force_layout(seeds, pairs):
    n = len(seeds)
    if n == 1:
        return [(0.5, 0.5)]
    if n == 2:
        return [(0.0, 0.5), (1.0, 0.5)]  # a pair reads best side by side
    xs, ys = zip(*(_initial(seed) for seed in seeds), strict=True)
    xs, ys = list(xs), list(ys)
    k = math.sqrt(1.0 / n) * 0.9
    k2 = k * k
    temperature = 0.1
    cooling = temperature / (ITERATIONS + 1)
    rng = range(n)
    for _ in range(ITERATIONS):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in rng:
            xi, yi = xs[i], ys[i]
            fx = fy = 0.0
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                d2 = ddx * ddx + ddy * ddy or 1e-9
                f = k2 / d2
                ddx *= f
                ddy *= f
                fx += ddx
                fy += ddy
                dx[j] -= ddx
                dy[j] -= ddy
            dx[i] += fx
            dy[i] += fy
        for i, j in pairs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 1e-9
            f = d / k
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in rng:
            # A little gravity keeps unlinked groups from drifting off.
            dx[i] += (0.5 - xs[i]) * 0.05 / k
            dy[i] += (0.5 - ys[i]) * 0.05 / k
            d = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) or 1e-9
            step = min(d, temperature)
            xs[i] += dx[i] / d * step
            ys[i] += dy[i] / d * step
        temperature -= cooling
    return list(zip(xs, ys, strict=True))


def _components(count, pairs):
    """Connected components of nodes 0..count-1, biggest first, as lists of node indexes."""
    parent = list(range(count))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups = {}
    for i in range(count):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def _cached_layout(seeds, pairs):
    # Keyed on the graph it draws, not on the data version: a write elsewhere keeps the layout.
    return versioned_get_or_set(
        "network-layout",
        (repr((seeds, pairs)),),
        lambda: _force_layout(seeds, pairs),
        CACHE_SECONDS,
        version=None,
    )


def layout(graph):
    """Place and name every node, spreading the drawing until every organisation is named.

    Sets the drawing's height, which grows with what there is to draw.
    """
    if not graph.nodes:
        graph.height = 0
        return
    for node in graph.nodes:
        node.r = round(5 + 1.8 * math.sqrt(node.degree), 1)
    for spread in SPREADS:
        _place(graph, spread)
        if _label(graph):
            break
    for edge in graph.edges:
        _trim(edge)


def _place(graph, spread):
    """Each linked group laid out on its own, then the groups packed in rows, `spread` apart."""
    index = {node.key: i for i, node in enumerate(graph.nodes)}
    pairs = sorted({(index[e.source.key], index[e.target.key]) for e in graph.edges})
    inner = WIDTH - 2 * MARGIN
    unit = UNIT * spread
    x = y = row_height = 0.0
    for group in _components(len(graph.nodes), pairs):
        local = {node: i for i, node in enumerate(group)}
        group_pairs = [(local[i], local[j]) for i, j in pairs if i in local]
        positions = _cached_layout([graph.nodes[i].seed for i in group], group_pairs)
        # A big group takes the whole width and grows downwards as it spreads.
        height = unit * math.sqrt(len(group)) if len(group) > 1 else unit / 2
        width = min(inner, height)
        if x and x + width > inner:
            x, y, row_height = 0.0, y + row_height + GROUP_GAP, 0.0
        xs, ys = [p[0] for p in positions], [p[1] for p in positions]
        span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
        span = max(span_x, span_y) or 1
        scale_x, scale_y = width / span, height / span
        for i, (px, py) in zip(group, positions, strict=True):
            node = graph.nodes[i]
            node.x = round(MARGIN + x + (px - min(xs)) * scale_x, 1)
            node.y = round(MARGIN + y + (py - min(ys)) * scale_y, 1)
        x += span_x * scale_x + GROUP_GAP
        row_height = max(row_height, span_y * scale_y)
    graph.height = round(y + row_height + 2 * MARGIN)


def _trim(edge):
    """End the line at the rim of each circle, so arrowheads show."""
    sx, sy, tx, ty = edge.source.x, edge.source.y, edge.target.x, edge.target.y
    length = math.hypot(tx - sx, ty - sy) or 1
    ux, uy = (tx - sx) / length, (ty - sy) / length
    head = 2.5 if edge.kind != SHARED else 0
    edge.x1, edge.y1 = round(sx + ux * edge.source.r, 1), round(sy + uy * edge.source.r, 1)
    edge.x2 = round(tx - ux * (edge.target.r + head), 1)
    edge.y2 = round(ty - uy * (edge.target.r + head), 1)


def _short(label):
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _label(graph):
    """Name every organisation beside its circle, the most linked first, or else by a number
    (in name order) that the key below the drawing spells out; no label overlaps another or
    covers a circle. Whether every one is named."""
    placed = []
    circles = [(n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r) for n in graph.nodes]
    for node in graph.nodes:
        node.labelled, node.number = False, 0
    by_links = sorted(graph.nodes, key=lambda n: (-n.degree, *_by_name(n)))
    rest = _place_labels(by_links, lambda n: _short(n.label), LABEL_SIZE, circles, placed)
    for number, node in enumerate(sorted(rest, key=_by_name), start=1):
        node.number = number
    return not _place_labels(
        sorted(rest, key=_by_name), lambda n: str(n.number), NUMBER_SIZE, circles, placed
    )


def _place_labels(nodes, text_of, size, obstacles, placed):
    """Label what fits of `nodes`, beside their circles; the ones that do not fit."""
    items = [
        (node.key, text_of(node), size, around_circle(node.x, node.y, node.r, size))
        for node in nodes
    ]
    fitted = fit_labels(items, width=WIDTH, obstacles=obstacles, placed=placed)
    for node in nodes:
        if node.key in fitted:
            x, baseline, node.label_anchor, node.label_box = fitted[node.key]
            node.labelled, node.short_label = True, text_of(node)
            node.label_x, node.label_y = round(x, 1), round(baseline, 1)
    return [node for node in nodes if node.key not in fitted]
