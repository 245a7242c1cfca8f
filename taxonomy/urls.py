from django.urls import path

from taxonomy import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.glossary, name="glossary"),
    path("<slug:vocabulary>/<slug:term>/", views.term_detail, name="term"),
]
