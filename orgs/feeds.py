"""Atom feeds of the map (Django's syndication framework): new organisations, newly verified
ones, and everything new in an area of concern (organisations and resources)."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from ethicalmap.context_processors import SITE_NAME
from orgs.models import Organisation
from resources.feeds import FEED_SIZE, resource_description, resource_title
from resources.models import Resource
from taxonomy.models import Term

CONSEQUENCES = "consequences"


class _OrganisationFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated


class NewOrganisationsFeed(_OrganisationFeed):
    title = f"New organisations · {SITE_NAME}"
    subtitle = "Organisations added to the map, newest first."

    def link(self):
        return reverse("orgs:list") + "?sort=newest"

    def items(self):
        return Organisation.objects.published().order_by("-created", "-pk")[:FEED_SIZE]


class VerifiedOrganisationsFeed(_OrganisationFeed):
    title = f"Newly verified organisations · {SITE_NAME}"
    subtitle = "Entries the organisation or a moderator confirmed, most recent first."

    def link(self):
        return reverse("orgs:list") + "?sort=verified"

    def items(self):
        return (
            Organisation.objects.published()
            .filter(last_verified__isnull=False)
            .order_by("-last_verified", "-pk")[:FEED_SIZE]
        )

    def item_guid(self, item):
        # One entry per confirmation: a second check of the same entry is news again.
        return f"{item.get_absolute_url()}#verified-{item.last_verified.isoformat()}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        day = datetime.datetime.combine(item.last_verified, datetime.time())
        return timezone.make_aware(day, datetime.UTC)

    def item_updateddate(self, item):
        return self.item_pubdate(item)


class AreaFeed(Feed):
    """New organisations and resources in one area of concern, narrower areas included."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Term.objects.in_vocabulary(CONSEQUENCES), slug=slug)

    def title(self, obj):
        return f"New in {obj.name.lower()} · {SITE_NAME}"

    def subtitle(self, obj):
        return obj.definition

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        ids = sorted(Term.objects.in_vocabulary(CONSEQUENCES).tree().descendants([obj.pk]))
        organisations = Organisation.objects.published().classified_under(ids)
        links = Resource.areas.through.objects.filter(term_id__in=ids)
        resources = Resource.objects.published().filter(pk__in=links.values("resource_id"))
        items = [
            *organisations.order_by("-created", "-pk")[:FEED_SIZE],
            *resources.order_by("-created", "-pk")[:FEED_SIZE],
        ]
        return sorted(items, key=lambda item: item.created, reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        return resource_title(item) if isinstance(item, Resource) else item.name

    def item_description(self, item):
        return resource_description(item) if isinstance(item, Resource) else item.summary

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated
