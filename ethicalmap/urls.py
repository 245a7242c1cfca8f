from django.contrib import admin
from django.urls import include, path

from ethicalmap import views

admin.site.site_header = "Ethical Tech Map moderation"
admin.site.site_title = "Ethical Tech Map moderation"
admin.site.index_title = "Moderation"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("map/", include("orgs.map_urls")),
    path("organisations/", include("orgs.urls")),
    path("taxonomy/", include("taxonomy.urls")),
    path("principles/", include("principles.urls")),
    path("criteria/", views.criteria, name="criteria"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("admin/", admin.site.urls),
]
