from django.conf import settings
from django.urls import reverse
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


class APIURLField(serializers.HyperlinkedIdentityField):
    """The object's address in the API, without the format of the current request: whoever
    follows it chooses the format they want."""

    def __init__(self, view_name, **kwargs):
        kwargs.setdefault("help_text", "This resource in the API.")
        super().__init__(view_name=view_name, lookup_field="slug", **kwargs)

    def get_url(self, obj, view_name, request, format):
        url = reverse(view_name, kwargs={self.lookup_url_kwarg: obj.slug})
        return request.build_absolute_uri(url) if request is not None else url


class OptionalURLField(serializers.URLField):
    """An address, or null when there is none (never an empty string posing as a URI)."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None
