"""What the submission tests share: the vocabularies, a moderator, and an entry on the map."""

import pytest
from django.core.cache import cache

from taxonomy.models import Term
from tests.factories import OrganisationFactory
from tests.orgs.submissions.submission_helpers import load_vocabularies


@pytest.fixture(autouse=True)
def _no_rate_limit_carried_over():
    cache.clear()


@pytest.fixture
def vocabularies(db):
    load_vocabularies()


@pytest.fixture
def approver(moderator):
    return moderator


@pytest.fixture
def listed(vocabularies):
    org = OrganisationFactory(
        name="Digital Fairness Trust",
        summary="Campaigns for fair algorithms.",
        terms=list(Term.objects.filter(slug__in=["algorithmic-bias", "tech-product-ethics"])),
        tags=["fairness"],
    )
    org.offers.set(Term.objects.filter(slug="help-training"))
    return org
