"""UK charity and company numbers, and the org-id (org-id.guide) derived from them.

Registers and their org-id prefixes:
- Charity Commission for England and Wales: 6 or 7 digits -> GB-CHC-1147471
- Scottish Charity Regulator (OSCR): SC and 6 digits -> GB-SC-SC003558
- Charity Commission for Northern Ireland: NIC and 6 digits -> GB-NIC-100012 (digits only)
- Companies House: 8 characters, digits or a 2-letter prefix and 6 digits -> GB-COH-08030289
"""

import re

from django.core.exceptions import ValidationError

_CHARITY_EW = re.compile(r"^\d{6,7}$")
_CHARITY_SC = re.compile(r"^SC\d{6}$")
_CHARITY_NI = re.compile(r"^NIC\d{6}$")
_COMPANY = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")


def _squash(value):
    return re.sub(r"[\s\-]", "", value or "").upper()


def normalise_charity_number(value):
    """Return the charity number in its register's canonical form, or raise ValidationError."""
    number = _squash(value)
    if not number:
        return ""
    if _CHARITY_EW.match(number) or _CHARITY_SC.match(number) or _CHARITY_NI.match(number):
        return number
    raise ValidationError(
        "Enter a registered charity number: 6 or 7 digits (England and Wales), "
        "SC and 6 digits (Scotland) or NIC and 6 digits (Northern Ireland).",
        code="invalid_charity_number",
    )


def normalise_company_number(value):
    """Return the Companies House number as 8 characters (zero-padded), or raise ValidationError."""
    number = _squash(value)
    if not number:
        return ""
    if number.isdigit() and len(number) < 8:
        number = number.zfill(8)
    if _COMPANY.match(number):
        return number
    raise ValidationError(
        "Enter a Companies House number: 8 digits, or 2 letters and 6 digits (such as SC123456).",
        code="invalid_company_number",
    )


def charity_org_id(number):
    if not number:
        return ""
    if number.startswith("SC"):
        return f"GB-SC-{number}"
    if number.startswith("NIC"):
        return f"GB-NIC-{number[3:]}"
    return f"GB-CHC-{number}"


def company_org_id(number):
    return f"GB-COH-{number}" if number else ""


def org_identifiers(charity_number, company_number):
    """All org-ids an organisation has, the charity's first (it is the usual primary identifier)."""
    return [i for i in (charity_org_id(charity_number), company_org_id(company_number)) if i]
