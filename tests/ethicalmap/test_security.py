import pytest
from django.middleware.security import SecurityMiddleware
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_https_responses_ask_browsers_to_stay_on_https(client):
    response = client.get(reverse("home"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_plain_http_is_redirected_to_https_in_production(rf, settings):
    # The middleware reads the setting when it is built: build it afresh for this test.
    settings.SECURE_SSL_REDIRECT = True
    response = SecurityMiddleware(lambda request: None)(rf.get("/organisations/"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_and_csrf_cookies_are_secure_and_http_only(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "a-long-test-password", "next": "/admin/"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_admin_sign_in_is_locked_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": user.username, "password": "wrong"})
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "a-long-test-password"},
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_every_response_has_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="3f0c4b8e9a2d4c1b8e7f6a5b4c3d2e1f")
    assert response["X-Request-ID"] == "3f0c4b8e9a2d4c1b8e7f6a5b4c3d2e1f"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
