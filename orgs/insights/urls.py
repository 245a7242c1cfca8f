"""The insights page and its CSVs, under /insights/, and the framable slice of the map, /embed/."""

from django.urls import path

from orgs.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.insights, name="index"),
    path("insights/<slug:chart>.csv", views.insights_csv, name="csv"),
    path("embed/", views.embed, name="embed"),
]
