"""Checks JSON-LD against the schema.org vocabulary, offline (tests/data/schemaorg.nq.gz).

`problems(document)` lists every way a JSON-LD node tree in schema.org's context breaks the
vocabulary:
- each `@type` must be a schema.org class;
- each property must be a schema.org property whose `domainIncludes` holds one of the node's
  types or a class above it;
- a nested node's `@type` must be one of the property's `rangeIncludes` or a class below one, and
  a literal (text, number, boolean) is allowed only where the range includes a data type (Text,
  URL, Number, Date...), a number only where it holds Number, a boolean only where it holds
  Boolean, and where URL is the only data type the text must be an absolute URL;
- superseded terms are reported, as schema.org's own validator warns of them.
An Action may carry schema.org's `<property>-input` / `-output` annotations (`query-input` on a
SearchAction) when the property itself is valid there.

Only the statements this needs are read from the N-Quads, with a regular expression per line:
rdf:type rdfs:Class / rdf:Property / schema:DataType, rdfs:subClassOf, schema:domainIncludes,
schema:rangeIncludes and schema:supersededBy.
"""

import functools
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

VOCABULARY = Path(__file__).parent / "data" / "schemaorg.nq.gz"
SCHEMA = "http://schema.org/"
CONTEXTS = {"https://schema.org", "https://schema.org/", "http://schema.org", SCHEMA}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# subject, predicate, and object when it is an IRI: literals (labels, comments) are not needed.
STATEMENT = re.compile(r"<([^>]+)> <([^>]+)> <([^>]+)>")
KEYWORDS = {"@context", "@id"}
ANNOTATION = re.compile(r"^(?P<property>\w+)-(input|output)$")
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _name(iri):
    """`Organization` for http://schema.org/Organization; other IRIs as they are."""
    return iri.removeprefix(SCHEMA)


class Vocabulary:
    """The classes and properties of schema.org, and how they relate."""

    def __init__(self, statements):
        self.classes, self.properties, self.datatypes = set(), set(), set()
        self.parents = defaultdict(set)
        self.domains, self.ranges = defaultdict(set), defaultdict(set)
        self.superseded, self._ancestors = {}, {}
        for subject, predicate, obj in statements:
            subject, obj = _name(subject), _name(obj)
            if predicate == RDF + "type":
                if obj == RDFS + "Class":
                    self.classes.add(subject)
                elif obj == RDF + "Property":
                    self.properties.add(subject)
                elif obj == "DataType":
                    self.classes.add(subject)
                    self.datatypes.add(subject)
            elif predicate == RDFS + "subClassOf":
                self.parents[subject].add(obj)
            elif predicate == SCHEMA + "domainIncludes":
                self.domains[subject].add(obj)
            elif predicate == SCHEMA + "rangeIncludes":
                self.ranges[subject].add(obj)
            elif predicate == SCHEMA + "supersededBy":
                self.superseded[subject] = obj

    def ancestors(self, name):
        """The class itself and every class above it."""
        if name not in self._ancestors:
            found = {name}
            for parent in self.parents.get(name, ()):
                found |= self.ancestors(parent)
            self._ancestors[name] = frozenset(found)
        return self._ancestors[name]

    def is_datatype(self, name):
        return bool(self.ancestors(name) & self.datatypes)

    def literal_types(self, prop):
        """The data types in a property's range (Text, URL, Date...)."""
        return {name for name in self.ranges.get(prop, ()) if self.is_datatype(name)}


@functools.lru_cache(maxsize=1)
def vocabulary():
    """The vocabulary, read once a session (about 18,000 statements)."""
    with gzip.open(VOCABULARY, "rt", encoding="utf-8") as lines:
        return Vocabulary(match.groups() for line in lines if (match := STATEMENT.match(line)))


def json_ld(html):
    """The JSON-LD of a page: the one <script type="application/ld+json"> it holds, parsed."""
    [text] = SCRIPT.findall(html)
    return json.loads(text)


def problems(document):
    """Every way `document`, a JSON-LD node (a dict) in schema.org's context, breaks the
    schema.org vocabulary, as sentences; empty when it follows it."""
    found = []
    if document.get("@context") not in CONTEXTS:
        found.append(f"$: @context is {document.get('@context')!r}, not schema.org")
    _check_node(vocabulary(), document, "$", found)
    return found


def _types(node):
    types = node.get("@type", [])
    return [types] if isinstance(types, str) else list(types)


def _check_node(vocab, node, path, found):
    types = _types(node)
    if not types:
        found.append(f"{path}: a node without @type")
        return
    for name in types:
        if name not in vocab.classes or vocab.is_datatype(name):
            found.append(f"{path}: @type {name} is not a schema.org class")
        elif name in vocab.superseded:
            found.append(f"{path}: @type {name} is superseded by {vocab.superseded[name]}")
    above = set().union(*(vocab.ancestors(name) for name in types))
    for key, value in node.items():
        if key in KEYWORDS or key == "@type":
            continue
        where = f"{path}.{key}"
        annotation = ANNOTATION.match(key)
        if annotation:
            _check_annotation(vocab, annotation["property"], above, value, where, found)
        elif _check_property(vocab, key, types, above, where, found):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                _check_value(vocab, key, item, f"{where}[{index}]", found)


def _check_property(vocab, key, types, above, where, found):
    """Whether `key` is a property the node may have; says why not in `found`."""
    if key.startswith("@"):
        found.append(f"{where}: the JSON-LD keyword {key} is not expected here")
    elif key not in vocab.properties:
        found.append(f"{where}: {key} is not a schema.org property")
    elif not vocab.domains[key] & above:
        found.append(f"{where}: {key} is not a property of {', '.join(types)}")
    else:
        if key in vocab.superseded:
            found.append(f"{where}: {key} is superseded by {vocab.superseded[key]}")
        return True
    return False


def _check_annotation(vocab, prop, above, value, where, found):
    """`<property>-input` / `-output`: on an Action, for a property valid there, holding text
    or a PropertyValueSpecification."""
    if "Action" not in above:
        found.append(f"{where}: an -input/-output annotation outside an Action")
    elif prop not in vocab.properties or not vocab.domains[prop] & above:
        found.append(f"{where}: annotates {prop}, which is not a property of this Action")
    elif isinstance(value, dict):
        if _types(value) != ["PropertyValueSpecification"]:
            found.append(f"{where}: an annotation holds a PropertyValueSpecification or text")
        _check_node(vocab, value, where, found)
    elif not isinstance(value, str):
        found.append(f"{where}: an annotation holds a PropertyValueSpecification or text")


def _check_value(vocab, prop, value, where, found):
    ranges = vocab.ranges[prop]
    if isinstance(value, dict):
        types = _types(value)
        if not types and set(value) == {"@id"}:  # a reference to a node described elsewhere
            if not any(name == "URL" or not vocab.is_datatype(name) for name in ranges):
                found.append(f"{where}: a reference where {prop} holds only literals")
            return
        for name in types:
            if name in vocab.classes and not vocab.ancestors(name) & ranges:
                found.append(f"{where}: {name} is not in the range of {prop}: {sorted(ranges)}")
        _check_node(vocab, value, where, found)
    elif isinstance(value, list):
        found.append(f"{where}: a list inside a list")
    else:
        problem = _literal_problem(vocab, vocab.literal_types(prop), value)
        if problem:
            found.append(f"{where}: {problem} for {prop}, whose range is {sorted(ranges)}")


def _literal_problem(vocab, datatypes, value):
    """Why a literal cannot be a value of a property whose range holds these `datatypes`."""
    if value is None:
        return "null"
    if not datatypes:
        return f"a literal ({value!r}) where a node is needed"
    kinds = set().union(*(vocab.ancestors(name) for name in datatypes))
    if isinstance(value, bool):
        return None if "Boolean" in kinds else f"a boolean ({value!r})"
    if isinstance(value, int | float):
        return None if "Number" in kinds else f"a number ({value!r})"
    if datatypes == {"URL"} and not re.match(r"https?://\S+$", value):
        return f"{value!r}, not an absolute URL,"
    return None
