"""`/help/`: a visitor says what help they need, on which area and where, and gets the
organisations that offer it, nearest first, each with why it matched; or the other way round,
the organisations looking for it. A GET form: every answer has an address to share."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from ethicalmap.middleware import public_page
from orgs.help import querysets
from orgs.help.forms import HelpForm
from orgs.help.places import works_in
from orgs.models import Region

PAGE_SIZE = 20
GROUPS = {
    querysets.BASED: "near",
    querysets.WORKS_THERE: "near",
    querysets.ACROSS_UK: "across-uk",
    querysets.ELSEWHERE: "elsewhere",
}


def _phrase(name):
    """A name as it reads inside a sentence: "Digital exclusion" becomes "digital exclusion"."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _place(org, region):
    """Where the organisation is and works, as it bears on the region asked about."""
    base = f"based in {org.get_region_display()}" if org.region else ""
    works = works_in(org.area_served)
    if region and org.region == region:
        return base
    if base and works == f"in {org.get_region_display()}":
        return f"based and working in {org.get_region_display()}"
    if region and getattr(org, "nearness", None) == querysets.WORKS_THERE:
        parts = [f"works in {Region(region).label}", base]
    else:
        parts = [f"works {works}" if works else "", base]
    return ", ".join(part for part in parts if part) or "where it works is not recorded"


def _why(org, *, need, area, region, direction):
    """One line saying why the organisation matched."""
    verb = "offers" if direction == "offers" else "is looking for"
    reasons = [f"{verb.capitalize()} {_phrase(need.name)}"]
    if area is not None:
        narrower = [_phrase(t.name) for t in org.matched_areas if t.pk != area.pk]
        reasons.append(
            f"works on {_phrase(area.name)}" + (f" ({', '.join(narrower)})" if narrower else "")
        )
    reasons.append(_place(org, region))
    return "; ".join(reasons) + "."


def _summary(counts, total, *, need, area, region, direction):
    """The plain statement above the results when none is near the region, or none at all."""
    verb = "offers" if direction == "offers" else "is looking for"
    what = f"{verb} {_phrase(need.name)}" + (f" and works on {_phrase(area.name)}" if area else "")
    if not total:
        return f"No organisation on the map {what} yet."
    if region and counts and not counts["near"]:
        place = Region(region).label
        if counts["across_uk"]:
            n = counts["across_uk"]
            return (
                f"No organisation based or working in {place} {what}; "
                f"{'this one works' if n == 1 else f'these {n} work'} across the UK."
            )
        return f"No organisation based or working in {place} {what}; these work elsewhere."
    return ""


def _links(cleaned):
    """The same question in the directory and in the API."""
    relation = querysets.DIRECTIONS[cleaned["direction"]]
    query = {relation: cleaned["need"].slug}
    if cleaned.get("area"):
        query["term"] = cleaned["area"].slug
    api = dict(query, **({"near_region": cleaned["region"]} if cleaned.get("region") else {}))
    return (
        reverse("orgs:list") + "?" + urlencode(query),
        reverse("api:organisation-list") + "?" + urlencode(api),
    )


def _answer(request, cleaned):
    need, area, region = cleaned["need"], cleaned.get("area"), cleaned.get("region")
    direction = cleaned["direction"]
    organisations = querysets.who_can_help(need=need, area=area, region=region, direction=direction)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = querysets.nearness_counts(organisations) if region else None
    for org in page:
        org.why = _why(org, need=need, area=area, region=region, direction=direction)
        org.group = GROUPS[org.nearness] if region else ""
        org.across_uk = works_in(org.area_served) == "across the UK"
    directory_url, api_url = _links(cleaned)
    return {
        "page": page,
        "counts": counts,
        "statement": _summary(
            counts, page.paginator.count, need=need, area=area, region=region, direction=direction
        ),  # fmt: skip
        "region_name": Region(region).label if region else "",
        "level": 4 if region else 3,  # under the group headings when there are groups
        "directory_url": directory_url,
        "api_url": api_url,
    }


@public_page
def who_can_help(request):
    asked = any(request.GET.get(name) for name in ("need", "area", "region", "direction"))
    form = HelpForm(request.GET if asked else None, initial={"direction": "offers"})
    context = {"form": form, "asked": asked}
    if asked and form.is_valid():
        context.update(_answer(request, form.cleaned_data))
        context["cleaned"] = form.cleaned_data
    return render(request, "orgs/help/help.html", context)
