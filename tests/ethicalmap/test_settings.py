import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


# What the test run itself sets, which a production start would not have.
TEST_ONLY_ENV = {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_in_the_environment_is_named():
    result = run_manage("check", SECRET_KEY="x" * 60, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="map.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_runs_without_a_secret_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def settings_value(name, **env):
    """A setting as a development start with `env` (and no SITE_URL or PORT of ours) gives it."""
    ours = TEST_ONLY_ENV | {"SITE_URL", "PORT"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ethicalmap.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def site_url(**env):
    result = settings_value("SITE_URL", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_a_site_url_links_follow_the_port_served_on():
    assert site_url(PORT="8800") == "http://127.0.0.1:8800"
    assert site_url() == "http://127.0.0.1:8000"


def test_a_site_url_wins_over_the_port():
    assert site_url(PORT="8800", SITE_URL="https://map.example.org/") == "https://map.example.org"


def test_a_port_that_is_not_a_number_is_named():
    result = settings_value("SITE_URL", PORT="eighty")
    assert result.returncode != 0
    assert "PORT must be a whole number" in result.stderr
