"""Where an organisation works, in words, beside where it is based."""

from orgs.models import REGION_ONS_CODES, Region

# The nine regions of England (ONS codes E12...), said together as "England".
ENGLAND = [region for region, code in REGION_ONS_CODES.items() if code.startswith("E12")]
# The places a visitor can ask about: the nations and regions of the UK.
UK_REGIONS = [(region.value, region.label) for region in REGION_ONS_CODES]


def _join(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def works_in(area_served):
    """`area_served` in words: "across the UK", "in England and Wales", "in Scotland", or ''."""
    if not area_served:
        return ""
    if Region.UK_WIDE in area_served:
        return "across the UK"
    served = [value for value in area_served if value in Region.values]
    names = []
    if all(region in served for region in ENGLAND):
        names.append("England")
        served = [value for value in served if value not in ENGLAND]
    names += [Region(value).label for value in served]
    return f"in {_join(names)}" if names else ""
