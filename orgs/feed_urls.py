from django.urls import path

from orgs import feeds
from resources.feeds import NewResourcesFeed

app_name = "feeds"

urlpatterns = [
    path("organisations/", feeds.NewOrganisationsFeed(), name="organisations"),
    path("verified/", feeds.VerifiedOrganisationsFeed(), name="verified"),
    path("resources/", NewResourcesFeed(), name="resources"),
    path("areas/<slug:slug>/", feeds.AreaFeed(), name="area"),
]
