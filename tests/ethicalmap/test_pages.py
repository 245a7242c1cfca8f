import pytest
from django.urls import reverse

from orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_the_map_is_and_shows_the_counts(client, starter_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    published = Organisation.objects.published().count()
    assert f"<dd>{published}</dd>" in html
    assert "unintended consequences of technology" in html
    assert "Data privacy" in html


def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
