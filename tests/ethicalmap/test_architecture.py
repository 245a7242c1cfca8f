"""The apps depend on each other one way, and the rules of what the public sees are named once.

Reading the code, not running it: every module of each app (migrations aside) is parsed with `ast`.

Dependencies point one way (DESIGN.md, Architecture):

- `taxonomy` imports nothing of the other apps. Its pages still show the organisations and
  principles classified under a term: it reaches them through the reverse relations Django adds
  to Term (`term.organisations`, `term.principles`) and their own public rules (`published()`,
  `live()`), and links to the directory by its URL name, `orgs:list`. None of these is an import;
  they are the other apps pointing at taxonomy, seen from its side, and the one URL name is
  pinned below so that no other creeps in.
- `principles` imports `taxonomy` only. It names `orgs` once, in the self-assessment models:
  Assessment and Endorsement have a ForeignKey to "orgs.Organisation" (a string, not an import),
  and whether that organisation is published is asked of its own `published()`.
- `resources` (the shared library) imports `principles` and `taxonomy`. Like the principles, it
  names `orgs` only in its models: a resource's publisher, and the organisation a case study is
  about, are ForeignKeys to "orgs.Organisation". Principle and term pages list resources through
  the reverse relations (`principle.resources`, `term.resources`).
- `orgs` may import `resources`, `principles` and `taxonomy`: its profile lists an organisation's
  resources, and its submission queue, API and export carry them.
- All three may import the project's infrastructure, the modules of `ethicalmap` that import no
  app: Markdown, validators, the data version and the response cache, and the shared API pieces.
  The rest of `ethicalmap` (settings, URLs, the home page, the starter data) is the project
  putting the apps together, and sits above them.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("taxonomy", "principles", "resources", "orgs")
FIRST_PARTY = (*APPS, "ethicalmap")
INFRASTRUCTURE = (
    "ethicalmap.api",
    "ethicalmap.background",
    "ethicalmap.caching",
    "ethicalmap.context_processors",
    "ethicalmap.dataversion",
    "ethicalmap.jsonld",
    "ethicalmap.kept",
    "ethicalmap.limits",
    "ethicalmap.markdown",
    "ethicalmap.middleware",
    "ethicalmap.paging",
    "ethicalmap.models",
    "ethicalmap.release",
    "ethicalmap.spreadsheets",
    "ethicalmap.validators",
)
MAY_IMPORT = {
    "taxonomy": ("taxonomy", *INFRASTRUCTURE),
    "principles": ("principles", "taxonomy", *INFRASTRUCTURE),
    "resources": ("resources", "principles", "taxonomy", *INFRASTRUCTURE),
    "orgs": ("orgs", "resources", "principles", "taxonomy", *INFRASTRUCTURE),
}
# Imports that break the layering on purpose, each with its reason.
EXCEPTIONS = {
    # The demo seeder loads the starter vocabularies before making up organisations.
    "orgs/management/commands/seed_demo.py": ("ethicalmap.starter",),
}
# A model label, module or URL name of the apps above: `orgs.Organisation`, `orgs:list`.
MENTIONS = re.compile(r"\b(orgs|principles|resources)[.:]\w+")
# Names of public states, said only by the models and querysets that define the rules.
STATE_LITERALS = {"published", "retired"}
RULE_MODULES = {"models.py", "querysets.py"}


def modules(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path.relative_to(ROOT).as_posix(), path


def parse(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(tree):
    """Every module or name a parsed module imports, at the top or inside a function, dotted:
    `from orgs.models import Organisation` is `orgs.models.Organisation`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def within(name, prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def dotted(name):
    return name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def test_the_modules_are_found():
    found = {app: [name for name, _ in modules(app)] for app in APPS}
    assert all(len(names) > 5 for names in found.values()), found
    assert "orgs/submissions/forms.py" in found["orgs"]
    assert "ethicalmap.api.base.PublicReadOnlyViewSet" in imported(
        parse(ROOT / "taxonomy" / "api" / "views.py")
    )


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_what_is_below_it(app):
    wrong = sorted(
        (name, module)
        for name, path in modules(app)
        for module in imported(parse(path))
        if within(module, FIRST_PARTY)
        and not within(module, MAY_IMPORT[app])
        and not within(module, EXCEPTIONS.get(name, ()))
    )
    assert wrong == []


def test_the_infrastructure_imports_no_app():
    wrong = sorted(
        (name, module)
        for name, path in modules("ethicalmap")
        if within(dotted(name), INFRASTRUCTURE)
        for module in imported(parse(path))
        if within(module, APPS)
    )
    assert wrong == []


def test_taxonomy_names_another_app_only_by_the_directory_url():
    found = {
        (name, node.value)
        for name, path in modules("taxonomy")
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and MENTIONS.search(node.value)
    }
    assert found == {("taxonomy/views.py", "orgs:list")}


def test_principles_mention_orgs_only_in_their_models():
    found = {
        (name, match.group(0))
        for name, path in modules("principles")
        for match in MENTIONS.finditer(path.read_text(encoding="utf-8"))
        if match.group(1) == "orgs"
    }
    assert found == {("principles/models.py", "orgs.Organisation")}


def test_resources_mention_orgs_only_in_their_models():
    found = {
        (name, match.group(0))
        for name, path in modules("resources")
        for match in MENTIONS.finditer(path.read_text(encoding="utf-8"))
        if match.group(1) == "orgs"
    }
    assert found == {("resources/models.py", "orgs.Organisation")}


def test_principles_name_orgs_only_as_the_organisation_of_a_self_assessment():
    tree = parse(ROOT / "principles" / "models.py")
    targets = {
        (cls.name, call.func.attr)
        for cls in tree.body
        if isinstance(cls, ast.ClassDef)
        for call in ast.walk(cls)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value == "orgs.Organisation"
    }
    assert targets == {("Assessment", "ForeignKey"), ("Endorsement", "ForeignKey")}


def test_the_public_rules_are_named_once():
    """ "published" and "retired" are said by the models and querysets that define `published()`,
    `public()` and `live()`; everything else asks them."""
    said = sorted(
        (name, node.lineno, node.value)
        for name, path in modules(*FIRST_PARTY)
        if Path(name).name not in RULE_MODULES
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant) and node.value in STATE_LITERALS
    )
    assert said == []
    assert not [
        name
        for name, path in modules(*FIRST_PARTY)
        if "LIVE_PRINCIPLES" in path.read_text(encoding="utf-8")
    ]
