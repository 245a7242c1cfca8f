"""The maps, under /map/: the landscape, where organisations are, and how they are linked."""

from django.urls import path

from orgs.views import maps

app_name = "maps"

urlpatterns = [
    path("", maps.landscape, name="landscape"),
    path("landscape.svg", maps.landscape_image, name="landscape-image"),
    path("geo/", maps.geographic, name="geo"),
    path("network/", maps.network, name="network"),
]
