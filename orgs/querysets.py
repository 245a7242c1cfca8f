"""Reads of organisations and their links: every rule about what the public sees lives here."""

import re
import unicodedata
from urllib.parse import urlsplit

from confusable_homoglyphs import confusables
from django.db import models
from django.db.models import Case, Count, F, Prefetch, Q, When

PUBLISHED = "published"
# Regions that are not one of the UK's twelve: the home page counts the regions covered.
NOT_A_REGION = ["", "uk-wide", "international"]
# Words that do not tell two organisations apart: "The Good Trust Ltd" is "Good Trust".
_NAME_NOISE = {
    "the", "ltd", "limited", "cic", "cio", "plc", "llp", "inc", "uk", "and", "of", "co",
}  # fmt: skip
# How many names the relationship fields of the forms suggest at most.
DATALIST_LIMIT = 1000
# How many look-alikes a duplicate check reads at most before comparing them in Python.
DUPLICATE_CANDIDATES = 200
# Names with a character outside printable ASCII: where look-alike letters from other scripts
# hide, so a duplicate check reads them all (up to this many) however their words are spelt.
LOOKALIKE_CANDIDATES = 2000
_NOT_PLAIN_ASCII = r"[^ -~]"


def _fold_confusables(text):
    """Letters of other scripts that look like Latin ones ("а" in Cyrillic) made Latin.

    The look-alikes are Unicode's (confusables.txt, through confusable_homoglyphs); ASCII is
    left as it is, so folding never turns a plain name into another plain name.
    """
    if text.isascii():
        return text
    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    folded = {}
    for item in found:
        if item["character"].isascii():
            continue
        latin = [h["c"] for h in item["homoglyphs"] if h["c"].isascii() and h["c"].isalnum()]
        if latin:
            folded[item["character"]] = latin[0]
    return "".join(folded.get(c, c) for c in text)


def normalised_name(name):
    """A name reduced to the words that tell organisations apart, for comparing.

    NFKC first (so "ﬁ" is "fi" and full-width letters are plain), then look-alike letters of
    other scripts, case and accents are folded: "The Full Fаct Ltd" (a Cyrillic "а") is "full fact".
    """
    text = _fold_confusables(unicodedata.normalize("NFKC", name or "")).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
    words = re.findall(r"\w+", text)
    return " ".join(w for w in words if w not in _NAME_NOISE)


def website_host(url):
    """The host of a web address without `www.`, or '' when there is none."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


class Likeness:
    """What makes two entries the same organisation.

    The same website host, the same telling words of the name (after folding case, accents and
    look-alike letters), or a registration number in common.
    """

    def __init__(self, name, website, charity_number="", company_number=""):
        self.host = website_host(website)
        self.key = normalised_name(name)
        self.longest = max(self.key.split(), key=len, default="")
        self.charity_number = (charity_number or "").strip().upper()
        self.company_number = (company_number or "").strip().upper()

    def query(self, *, name_field, website_field, charity_field=None, company_field=None):
        """A broad filter that every match passes, but for look-alike letters in the candidate's
        name (see `lookalike_query`); it may let others through."""
        query = Q()
        if self.host:
            query |= Q(**{f"{website_field}__icontains": self.host})
        if len(self.longest) >= 3:
            query |= Q(**{f"{name_field}__icontains": self.longest})
        if charity_field and self.charity_number:
            query |= Q(**{f"{charity_field}__iexact": self.charity_number})
        if company_field and self.company_number:
            query |= Q(**{f"{company_field}__iexact": self.company_number})
        return query

    def lookalike_query(self, *, name_field):
        """Candidates whose names hold characters beyond plain ASCII, where look-alikes hide."""
        if not self.key:
            return Q(pk__in=[])
        return Q(**{f"{name_field}__regex": _NOT_PLAIN_ASCII})

    def reason(self, name, website, charity_number="", company_number=""):
        """Why a candidate is the same organisation ('' when it is not)."""
        if self.host and website_host(website) == self.host:
            return "the same website"
        if self.charity_number and (charity_number or "").upper() == self.charity_number:
            return "the same charity number"
        if self.company_number and (company_number or "").upper() == self.company_number:
            return "the same company number"
        if self.key and normalised_name(name) == self.key:
            return "the same name"
        return ""

    def matches(self, name, website, charity_number="", company_number=""):
        """Whether a candidate is the same organisation."""
        return bool(self.reason(name, website, charity_number, company_number))


def published_q(relation):
    """The rule of `published()` as a filter across a relation: `published_q("target")`."""
    return Q(**{f"{relation}__status": PUBLISHED})


def _ordered_terms():
    """Terms with their vocabulary, in the order the pages list them."""
    from taxonomy.models import Term

    return Term.objects.select_related("vocabulary").order_by("vocabulary__order", "order", "name")


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        """Organisations the public may see."""
        return self.filter(status=PUBLISHED)

    def unmaintained(self):
        """Organisations nobody from the organisation looks after."""
        return self.filter(maintained=False)

    def stalest(self):
        """Never verified first, then longest since verified."""
        return self.order_by(F("last_verified").asc(nulls_first=True), "name")

    def classified_under(self, term_ids, relation="terms"):
        """Organisations linked through `relation` (terms, offers, looking_for) to one of
        `term_ids`: a subquery on the link table, so no join and no DISTINCT."""
        links = self.model._meta.get_field(relation).remote_field.through.objects
        return self.filter(pk__in=links.filter(term_id__in=term_ids).values("organisation_id"))

    def classified_in(self, vocabulary):
        """Organisations with any term of `vocabulary` (a Vocabulary or its slug), by subquery."""
        field = "term__vocabulary__slug" if isinstance(vocabulary, str) else "term__vocabulary"
        links = self.model.terms.through.objects.filter(**{field: vocabulary})
        return self.filter(pk__in=links.values("organisation_id"))

    def named(self, name):
        """Organisations called `name`, whatever the case."""
        return self.filter(name__iexact=name)

    def names_for_datalist(self):
        """Names in alphabetical order, at most DATALIST_LIMIT: a datalist goes with the page."""
        return list(self.order_by("name").values_list("name", flat=True)[:DATALIST_LIMIT])

    def newest(self):
        """Newest first, without the joins of a list."""
        return self.select_related(None).order_by("-created", "name")

    def recently_verified(self):
        """Those a moderator has verified, most recently verified first."""
        return self.filter(last_verified__isnull=False).order_by("-last_verified", "name")

    def headline_counts(self):
        """{organisations, regions}: how many, and in how many UK regions (one query)."""
        return self.aggregate(
            organisations=Count("pk"),
            regions=Count("region", filter=~Q(region__in=NOT_A_REGION), distinct=True),
        )

    def with_card_terms(self):
        """Prefetch what a card shows: the terms, each with its vocabulary."""
        return self.prefetch_related(Prefetch("terms", queryset=_ordered_terms()))

    def with_terms(self):
        """Prefetch every classification a profile shows, tags included."""
        terms = _ordered_terms()
        return self.with_card_terms().prefetch_related(
            Prefetch("offers", queryset=terms),
            Prefetch("looking_for", queryset=terms),
            "tags",
        )

    def for_directory(self):
        """Published organisations ready to render as cards, in name order."""
        return self.published().with_card_terms().order_by("name", "pk")

    def sharing_areas_with(self, organisation, *, limit):
        """The published organisations that share the most of `organisation`'s areas of concern
        (narrower terms count on their own), those based in its region first, in two queries;
        each with `shared` (how many) and `shared_areas` (which)."""
        from taxonomy.models import Term

        areas = self.model.terms.through.objects.filter(
            organisation_id=organisation.pk, term__vocabulary__slug="consequences"
        ).values("term_id")
        same_region = When(region=organisation.region, then=1) if organisation.region else None
        return (
            self.published()
            .exclude(pk=organisation.pk)
            .filter(terms__in=areas)
            .annotate(
                shared=Count("terms", distinct=True),
                same_region=Case(*filter(None, [same_region]), default=0),
            )
            .order_by("-same_region", "-shared", "name", "pk")
            .prefetch_related(
                Prefetch(
                    "terms",
                    queryset=Term.objects.filter(pk__in=areas).select_related("vocabulary"),
                    to_attr="shared_areas",
                )
            )[:limit]
        )

    def needing_verification(self, *, older_than):
        """Published organisations never verified, or last verified before `older_than`."""
        return self.published().filter(
            Q(last_verified__isnull=True) | Q(last_verified__lt=older_than)
        )

    def duplicates_of(self, *, name, website, charity_number="", company_number="", exclude=()):
        """Published organisations that are the same as the one described, as (entry, why).

        The same website host, the same telling words of the name (look-alike letters folded)
        or a registration number in common; `exclude` holds primary keys to leave out.
        """
        likeness = Likeness(name, website, charity_number, company_number)
        query = likeness.query(
            name_field="name",
            website_field="website",
            charity_field="charity_number",
            company_field="company_number",
        )
        fields = ("pk", "slug", "name", "website", "charity_number", "company_number")
        published = self.published().exclude(pk__in=list(exclude)).only(*fields).order_by("pk")
        candidates = list(published.filter(query)[:DUPLICATE_CANDIDATES]) if query else []
        seen = {org.pk for org in candidates}
        lookalikes = published.filter(likeness.lookalike_query(name_field="name"))
        candidates += [org for org in lookalikes[:LOOKALIKE_CANDIDATES] if org.pk not in seen]
        found = []
        for org in candidates:
            why = likeness.reason(org.name, org.website, org.charity_number, org.company_number)
            if why:
                found.append((org, why))
        return found

    def duplicate_of(self, *, name, website, charity_number="", company_number="", exclude=None):
        """A published organisation with the same website host, name or number, or None."""
        found = self.duplicates_of(
            name=name,
            website=website,
            charity_number=charity_number,
            company_number=company_number,
            exclude=[exclude.pk] if exclude is not None else (),
        )
        return found[0][0] if found else None


class RelationshipQuerySet(models.QuerySet):
    def public(self):
        """Relationships whose both ends are published."""
        return self.filter(published_q("source"), published_q("target")).select_related(
            "source", "target"
        )

    def involving(self, organisation):
        """Links from or to `organisation`, by kind, then by the names of their ends."""
        return self.filter(Q(source=organisation) | Q(target=organisation)).order_by(
            "kind", "source__name", "target__name"
        )
