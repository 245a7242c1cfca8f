from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from ethicalmap import api_views, views
from ethicalmap.api_router import router
from orgs.api.views import ExportTableView

admin.site.site_header = "Ethical Tech Map moderation"
admin.site.site_title = "Ethical Tech Map moderation"
admin.site.index_title = "Moderation"

handler404 = views.page_not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("map/", include("orgs.maps.urls")),
    path("", include("orgs.insights.urls")),
    path("organisations/", include("orgs.urls")),
    path("help/", include("orgs.help.urls")),
    path("submit/", include("orgs.submissions.urls")),
    path("maintain/", include("orgs.maintain.urls")),
    path("taxonomy/", include("taxonomy.urls")),
    path("principles/", include("principles.urls")),
    path("resources/", include("resources.urls")),
    path("feeds/", include("orgs.feed_urls")),
    path("criteria/", views.criteria, name="criteria"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("admin/", admin.site.urls),
    path("api/", api_views.api_guide, name="api-guide"),
    # Before the router: one table of the export, as a file name without a trailing slash. Any
    # name reaches the view, which answers an unknown one with the names of the tables.
    path("api/v1/export/<str:table>.csv", ExportTableView.as_view(), name="api-export-table"),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_views.APIDocsView.as_view(url_name="api-schema"), name="api-docs"),
]
