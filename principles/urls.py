from django.urls import path

from principles import views

app_name = "principles"

urlpatterns = [
    path("", views.principle_list, name="list"),
    path("maturity/", views.maturity, name="maturity"),
    path("<slug:slug>/", views.principle_detail, name="detail"),
]
