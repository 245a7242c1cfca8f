"""The insights page and its CSVs, under /insights/, and the framable slice of the map, /embed/."""

from django.urls import path

from orgs.views import insights

app_name = "insights"

urlpatterns = [
    path("insights/", insights.insights, name="index"),
    path("insights/<slug:chart>.csv", insights.insights_csv, name="csv"),
    path("embed/", insights.embed, name="embed"),
]
