import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_guide_shows_a_real_example_a_developer_can_copy(client, world):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    # The snippet calls this site's API, escaped so that it shows as text, not runs.
    assert (
        'let next = "https://map.example.org/api/v1/organisations/'
        '?region=london&amp;page_size=100";' in html
    )
    assert "&lt;script&gt;" in html
    assert "link.textContent = organisation.name;" in html
    # A real answer from the API, of a real organisation.
    assert "organisations/green-code/" in html
    assert "&quot;name&quot;: &quot;Green Code Café&quot;" in html
    for link in ('href="/api/docs/"', 'href="/api/schema/"', 'href="/api/v1/export/"'):
        assert link in html


def test_the_guide_runs_no_inline_script(client, world):
    html = client.get("/api/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "style=" not in html


def test_the_guide_works_on_an_empty_map(client, db):
    response = client.get("/api/")
    assert response.status_code == 200
    assert "There are no organisations on the map yet." in response.content.decode()


def test_the_interactive_docs_come_from_our_own_files_without_inline_script(client, db):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/"), source  # ours: no CDN
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and "style=" not in html
    for asset in sources:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    script = client.get("/api/docs/?script=")
    assert script.headers["Content-Type"] == "application/javascript"
    assert 'url: "/api/schema/"' in script.content.decode()
