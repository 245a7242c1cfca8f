"""Markdown is rendered once, when a text is written, by a parser no input can stall."""

import time

import nh3
import pytest
from django.core.management import call_command

from ethicalmap import markdown
from orgs.models import Organisation
from tests.factories import OrganisationFactory, PrincipleFactory, TermFactory

# The inputs that took Python-Markdown seconds (27 s for "[" at this length), and their kin.
WORST = {
    "open brackets": "[",
    "open images": "![",
    "stars": "*",
    "starred letters": "*a",
    "underscored letters": "_a",
    "unclosed links": "[a](",
    "backticks": "`",
    "angle brackets": "<",
    "quotes": "> ",
}
LONGEST = 10_000  # Organisation.description's max_length


def _nested_list():
    lines, depth = [], 0
    while sum(map(len, lines)) < LONGEST:
        lines.append("  " * depth + "- item\n")
        depth += 1
    return "".join(lines)[:LONGEST]


@pytest.mark.parametrize("text", [*(t * LONGEST for t in WORST.values()), _nested_list()])
def test_the_worst_inputs_render_well_under_a_second(text):
    text = text[:LONGEST]
    # The processor time this render takes: what it costs a worker, whatever else the machine
    # runs at the same moment (the tests run in parallel).
    started = time.process_time()
    html = markdown.render_markdown(text)
    assert time.process_time() - started < 1.0
    assert html  # rendered, not refused


def test_written_markdown_is_stored_clean(db):
    organisation = OrganisationFactory(
        description="We **campaign**. <script>alert(1)</script> [x](javascript:alert(1))"
    )
    stored = Organisation.objects.values_list("description_html", flat=True).get()
    assert "<strong>campaign</strong>" in stored
    assert "<script" not in stored
    # The link is refused: its text stays as written, never an address that runs.
    assert "href" not in stored and "[x](javascript:alert(1))" in stored

    organisation.description = "Now *different*."
    organisation.save(update_fields=["description"])
    assert Organisation.objects.get().description_html == "<p>Now <em>different</em>.</p>"


def test_pages_and_the_api_never_render_markdown(client, db, monkeypatch):
    organisation = OrganisationFactory(description="We *campaign*.")
    term = TermFactory(description="A **term**.", vocabulary__slug="consequences")
    organisation.terms.add(term)
    principle = PrincipleFactory(body="Do *this*.")

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown rendered while answering a request")

    # Every rendering ends in nh3's cleaning, whichever parser made the HTML.
    monkeypatch.setattr(nh3, "clean", refuse)
    pages = {
        organisation.get_absolute_url(): "<em>campaign</em>",
        f"/api/v1/organisations/{organisation.slug}/": "<em>campaign</em>",
        "/api/v1/organisations/": "<em>campaign</em>",
        term.get_absolute_url(): "<strong>term</strong>",
        principle.get_absolute_url(): "<em>this</em>",
    }
    for path, shown in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert shown in response.content.decode(), path


@pytest.mark.django_db(transaction=True)
def test_the_migration_renders_what_was_written_before_it():
    organisation = OrganisationFactory(description="Old *text*.")
    call_command("migrate", "orgs", "0007", verbosity=0)
    call_command("migrate", "orgs", verbosity=0)
    organisation.refresh_from_db()
    assert organisation.description_html == "<p>Old <em>text</em>.</p>"
