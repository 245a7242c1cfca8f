"""`/help/`: who can help me."""

from django.urls import path

from orgs.help import views

app_name = "help"

urlpatterns = [
    path("", views.who_can_help, name="index"),
]
