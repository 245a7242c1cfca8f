"""`/organisations/`: the directory, each profile, and the forms about one entry."""

from django.urls import path

from orgs import views
from orgs.maintain import views as maintain
from orgs.submissions import views as forms

app_name = "orgs"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/suggest-edit/", forms.suggest_edit, name="suggest_edit"),
    path("<slug:slug>/report/", forms.report, name="report"),
    path("<slug:slug>/assess/", forms.assess, name="assess"),
    path("<slug:slug>/claim/", maintain.claim, name="claim"),
]
