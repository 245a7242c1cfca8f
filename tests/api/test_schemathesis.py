"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it:
no server error, a documented status, and the documented content type, headers and body.

The schema is read from /api/schema/ and the requests go to the WSGI application in-process: no
network. (Each operation runs through Hypothesis here rather than through schemathesis' pytest
plugin, whose lazy loading does not yet work with this pytest.)

Every check runs but `positive_data_acceptance`: the schema says a term is a string, but only the
slugs of existing terms are valid, and the API rightly answers 400 to the others."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_schema(world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    # As Django's test client does: the WSGI handler would otherwise close the database
    # connection after each request, and with it the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", _closing(get_wsgi_application()))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _closing(app):
    """The application, with each answer read and then closed, as a WSGI server does.
    Schemathesis's client leaves answers open, and the export's answers are open files."""

    def application(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            answer.close()

    return application


def test_every_operation_answers_as_the_schema_says(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 14

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,  # no example database written into the work tree
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        def check(case):
            # The in-process client does not inflate gzip: ask for plain bodies.
            case.call_and_validate(
                headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
            )

        check()
