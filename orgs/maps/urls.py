"""The maps, under /map/: the landscape, where organisations are, and how they are linked."""

from django.urls import path

from orgs.maps import views

app_name = "maps"

urlpatterns = [
    path("", views.landscape, name="landscape"),
    path("landscape.svg", views.landscape_image, name="landscape-image"),
    path("geo/", views.geographic, name="geo"),
    path("network/", views.network, name="network"),
]
