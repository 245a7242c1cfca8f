"""`/submit/`: add an organisation to the map, and the page that says what happens next."""

from django.urls import path

from orgs import views

app_name = "submit"

urlpatterns = [
    path("", views.submit_organisation, name="new"),
    path("thanks/", views.submit_thanks, name="thanks"),
]
