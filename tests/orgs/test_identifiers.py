import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("charity", "company", "org_id", "all_ids"),
    [
        ("1147471", "04354366", "GB-CHC-1147471", ["GB-CHC-1147471", "GB-COH-04354366"]),
        ("SC003558", "", "GB-SC-SC003558", ["GB-SC-SC003558"]),
        ("NIC100012", "", "GB-NIC-100012", ["GB-NIC-100012"]),
        ("", "08030289", "GB-COH-08030289", ["GB-COH-08030289"]),
        ("", "SC123456", "GB-COH-SC123456", ["GB-COH-SC123456"]),
        ("", "", "", []),
    ],
)
def test_org_id_is_derived_from_the_registered_numbers(charity, company, org_id, all_ids):
    org = OrganisationFactory.build(charity_number=charity, company_number=company)
    org.full_clean()
    assert org.org_id == org_id
    assert org.identifiers == all_ids


def test_numbers_are_normalised_as_people_type_them():
    org = OrganisationFactory.build(charity_number=" sc 003558 ", company_number="4354366")
    org.full_clean()
    assert org.charity_number == "SC003558"
    assert org.company_number == "04354366"
    assert org.identifiers == ["GB-SC-SC003558", "GB-COH-04354366"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("charity_number", "12345"),
        ("charity_number", "ABC123456"),
        ("charity_number", "<script>"),
        ("company_number", "123456789"),
        ("company_number", "ZZZ12345"),
    ],
)
def test_malformed_numbers_are_refused_with_a_message(field, value):
    org = OrganisationFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert field in error.value.message_dict
    assert "Enter a" in error.value.message_dict[field][0]
