"""How organisations are linked: the graph of the network view, laid out on the server.

The most-linked organisations among the filtered ones (at most MAX_NODES, so the drawing stays
readable and light) and the relationships between them, optionally with the areas of concern as
hubs joining the organisations that share them. The layout is a small force-directed one
(Fruchterman-Reingold) in plain Python: deterministic for a given graph, so the same filters
always draw the same picture, and cached, since the same graph is drawn again and again.
"""

import math
import zlib
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, OuterRef, When

from ethicalmap.caching import versioned_get_or_set
from orgs.facets import organisation_ids
from orgs.maps.drawing import pick_labels, text_width
from orgs.models import Organisation, Relationship

MAX_NODES = 150
LABELLED_NODES = 40
WIDTH, MARGIN = 960, 36
UNIT = 95  # the side of the box a group of four nodes gets, in SVG units
GROUP_GAP = 30
LABEL_SIZE, HUB_LABEL_SIZE = 11.5, 13
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
    degree: int = 0
    hub: bool = False
    position: int = 0  # an area's place in the landscape, for its colour
    org_type: str = ""
    x: float = 0.0
    y: float = 0.0
    r: float = 5.0
    labelled: bool = False
    label_y: float = 0.0
    short_label: str = ""
    label_x: float = 0.0
    label_anchor: str = "middle"
    links: list = field(default_factory=list)  # (phrase, other Node) for the adjacency list


@dataclass
class Edge:
    source: Node
    target: Node
    kind: str  # a Relationship.Kind, or "term" for an organisation-to-area link
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

    @property
    def organisations(self):
        return sorted((n for n in self.nodes if not n.hub), key=lambda n: n.label.lower())

    @property
    def kinds(self):
        used = {e.kind for e in self.edges}
        return [(k.value, k.label) for k in Relationship.Kind if k.value in used]


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


def build_graph(filtered, taxonomy, *, with_terms=False):
    """The graph of the filtered organisations (see the module docstring)."""
    ids = organisation_ids(filtered)
    degrees = _degrees(ids)
    total = Organisation.objects.filter(pk__in=ids).count()
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
    chosen.sort(key=lambda org: (-degrees.get(org.pk, 0), org.name.casefold(), org.pk))
    nodes = {
        org.pk: Node(
            key=f"o{org.pk}",
            label=org.name,
            url=org.get_absolute_url(),
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

    hubs = []
    if with_terms and nodes:
        through = Organisation.terms.through
        memberships = (
            through.objects.filter(
                organisation_id__in=list(nodes), term_id__in=taxonomy.ids("consequences")
            )
            .annotate(area=taxonomy.root_case("consequences"))
            .values_list("area", "organisation_id")
            .distinct()
        )
        by_area = {}
        for area, org in memberships:
            by_area.setdefault(area, []).append(org)
        for position, term in enumerate(taxonomy.roots("consequences"), start=1):
            members = by_area.get(term.pk)
            if not members:
                continue
            hub = Node(
                key=f"t{term.pk}",
                label=term.name,
                url=term.get_absolute_url(),
                hub=True,
                position=position,
                degree=len(members),
            )
            hubs.append(hub)
            for org in sorted(members, key=lambda pk: nodes[pk].label.lower()):
                edges.append(Edge(nodes[org], hub, "term"))
                hub.links.append(("", nodes[org]))

    graph = Graph(
        nodes=[*nodes.values(), *hubs],
        edges=edges,
        linked_total=len(degrees),
        shown=len(nodes),
        filtered_total=total,
        hubs=hubs,
    )
    layout(graph)
    return graph


def _initial(key):
    """A deterministic starting point in the unit square for a node."""
    h = zlib.crc32(key.encode())
    return ((h & 0xFFFF) / 0xFFFF, (h >> 16) / 0xFFFF)


def _force_layout(keys, pairs, hub_keys):
    n = len(keys)
    if n == 1:
        return [(0.5, 0.5)]
    if n == 2:
        return [(0.0, 0.5), (1.0, 0.5)]  # a pair reads best side by side
    xs, ys = zip(*(_initial(k) for k in keys), strict=True)
    xs, ys = list(xs), list(ys)
    # Hubs start spread on a circle, so the areas do not pile up in the middle.
    hub_index = [i for i, k in enumerate(keys) if k in hub_keys]
    for j, i in enumerate(hub_index):
        angle = 2 * math.pi * j / max(1, len(hub_index))
        xs[i], ys[i] = 0.5 + 0.35 * math.cos(angle), 0.5 + 0.35 * math.sin(angle)
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


def _cached_layout(keys, pairs, hub_keys):
    # Keyed on the graph it draws, not on the data version: a write elsewhere keeps the layout.
    return versioned_get_or_set(
        "network-layout",
        (repr((keys, pairs)),),
        lambda: _force_layout(keys, pairs, hub_keys),
        CACHE_SECONDS,
        version=None,
    )


def layout(graph):
    """Place every node: each linked group laid out on its own, then the groups packed in rows.

    Sets the drawing's height, which grows with what there is to draw.
    """
    if not graph.nodes:
        graph.height = 0
        return
    keys = [n.key for n in graph.nodes]
    index = {key: i for i, key in enumerate(keys)}
    pairs = sorted({(index[e.source.key], index[e.target.key]) for e in graph.edges})
    hub_keys = {n.key for n in graph.nodes if n.hub}
    inner = WIDTH - 2 * MARGIN
    x = y = row_height = 0.0
    for group in _components(len(keys), pairs):
        local = {node: i for i, node in enumerate(group)}
        group_pairs = [(local[i], local[j]) for i, j in pairs if i in local]
        positions = _cached_layout([keys[i] for i in group], group_pairs, hub_keys)
        side = min(inner, max(UNIT, UNIT * math.sqrt(len(group))))
        if len(group) == 1:
            side = UNIT / 2
        if x and x + side > inner:
            x, y, row_height = 0.0, y + row_height + GROUP_GAP, 0.0
        xs, ys = [p[0] for p in positions], [p[1] for p in positions]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1
        for i, (px, py) in zip(group, positions, strict=True):
            node = graph.nodes[i]
            node.x = round(MARGIN + x + (px - min(xs)) / span * side, 1)
            node.y = round(MARGIN + y + (py - min(ys)) / span * side, 1)
        used_height = (max(ys) - min(ys)) / span * side
        x += side + GROUP_GAP
        row_height = max(row_height, used_height)
    graph.height = round(y + row_height + 2 * MARGIN)

    for node in graph.nodes:
        degree = math.sqrt(node.degree)
        node.r = round(10 + 2 * degree if node.hub else 5 + 1.8 * degree, 1)
    for edge in graph.edges:
        _trim(edge)
    _label(graph)


def _trim(edge):
    """End the line at the rim of each circle, so arrowheads show."""
    sx, sy, tx, ty = edge.source.x, edge.source.y, edge.target.x, edge.target.y
    length = math.hypot(tx - sx, ty - sy) or 1
    ux, uy = (tx - sx) / length, (ty - sy) / length
    head = 2.5 if edge.kind != "term" else 0
    edge.x1, edge.y1 = round(sx + ux * edge.source.r, 1), round(sy + uy * edge.source.r, 1)
    edge.x2 = round(tx - ux * (edge.target.r + head), 1)
    edge.y2 = round(ty - uy * (edge.target.r + head), 1)


def _label_options(node, text, size):
    """(baseline, box) pairs to try in turn: above the circle, below it, right, then left."""
    w, h = text_width(text, size), size
    above, below = node.y - node.r - 3, node.y + node.r + 3 + h
    middle = node.y + h / 2 - 1
    return [
        ((node.x, above, "middle"), (node.x - w / 2, above - h, node.x + w / 2, above)),
        ((node.x, below, "middle"), (node.x - w / 2, below - h, node.x + w / 2, below)),
        (
            (node.x + node.r + 3, middle, "start"),
            (node.x + node.r + 3, middle - h, node.x + node.r + 3 + w, middle),
        ),
        (
            (node.x - node.r - 3, middle, "end"),
            (node.x - node.r - 3 - w, middle - h, node.x - node.r - 3, middle),
        ),
    ]


def _label(graph):
    """Name every area and the most linked organisations, without overlapping names.

    Areas are named first and may cover a small circle; organisations' names cover nothing.
    """
    placed = []

    def box(n):
        return (n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r)

    hubs = [n for n in graph.nodes if n.hub]
    orgs = sorted((n for n in graph.nodes if not n.hub), key=lambda n: (-n.degree, n.label.lower()))
    for nodes, size, limit, blocked in (
        (hubs, HUB_LABEL_SIZE, len(hubs), [box(n) for n in hubs]),
        (orgs, LABEL_SIZE, LABELLED_NODES, [box(n) for n in graph.nodes]),
    ):
        candidates = []
        for node in nodes:
            text = node.label if len(node.label) <= 32 else node.label[:31] + "…"
            options = _label_options(node, text, size)
            candidates.append(((node, text, [o for o, _ in options]), [b for _, b in options]))
        for (node, text, anchors), side in pick_labels(
            candidates, limit=limit, width=WIDTH, obstacles=blocked, placed=placed
        ):
            node.labelled = True
            node.short_label = text
            node.label_x, baseline, node.label_anchor = anchors[side]
            node.label_x = round(node.label_x, 1)
            node.label_y = round(baseline - 2, 1)
