from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def page_url(obj):
    """The canonical address of an object's public page."""
    return settings.SITE_URL + obj.get_absolute_url()


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The object's page on the map, at the site's canonical address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Its page on the map.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return page_url(value)
