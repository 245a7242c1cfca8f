from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("other-maps/", views.other_maps, name="maps"),
    path("<slug:slug>/", views.resource_detail, name="detail"),
]
