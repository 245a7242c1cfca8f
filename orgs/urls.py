from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/suggest-edit/", views.suggest_edit, name="suggest_edit"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/assess/", views.assess, name="assess"),
]
