"""The Atom feed of new resources (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ethicalmap.context_processors import SITE_NAME
from resources.models import Resource

FEED_SIZE = 50


def resource_title(resource):
    """An entry's title: the resource and its kind."""
    return f"{resource.title} ({resource.get_kind_display().lower()})"


def resource_description(resource):
    """An entry's text: the summary in our words, and who publishes it."""
    by = f" Published by {resource.publisher_name}." if resource.publisher_name else ""
    return f"{resource.summary}{by}"


class NewResourcesFeed(Feed):
    feed_type = Atom1Feed
    title = f"New resources · {SITE_NAME}"
    subtitle = "Guides, toolkits, case studies, research, courses, standards and other maps."

    def link(self):
        return reverse("resources:list")

    def items(self):
        return Resource.objects.published().order_by("-created", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return resource_title(item)

    def item_description(self, item):
        return resource_description(item)

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.get_kind_display()]
