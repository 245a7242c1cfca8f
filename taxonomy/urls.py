from django.urls import path

from taxonomy import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.glossary, name="glossary"),
    path("skos.jsonld", views.skos, name="skos"),
    path("<slug:vocabulary>/<slug:term>/", views.term_detail, name="term"),
]
