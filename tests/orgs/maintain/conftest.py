"""What the maintainer tests share: an entry with a website, and helpers to claim it."""

import re

import pytest

from tests.factories import OrganisationFactory
from tests.orgs.submissions.submission_helpers import a_while_ago

LINK = re.compile(r"https?://\S+/maintain/(\S+)/")


@pytest.fixture
def entry(db):
    return OrganisationFactory(
        slug="fair-code", name="Fair Code", website="https://www.faircode.example.org/about/"
    )


def claim_post(**overrides):
    return {
        "name": "Robin Keeper",
        "email": "robin@faircode.example.org",
        "role": "Director",
        "evidence": "",
        "consent": "on",
        "homepage": "",
        "started": a_while_ago(),
        **overrides,
    }


def link_in(message):
    """The address of the link in an email, as a path on this site."""
    return "/maintain/" + LINK.search(message.body).group(1) + "/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the test client does, running what waits for the commit (the emails) at once."""

    def _post(url, data=None, *, as_client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (as_client or client).post(url, data or {})

    return _post
