"""The one router of the public API, served at /api/v1/: each app's viewsets are registered here."""

from rest_framework import routers

from ethicalmap.api.base import PublicAPIMixin
from orgs.api.views import (
    ExportViewSet,
    OrganisationViewSet,
    RelationshipViewSet,
    StatsViewSet,
)
from principles.api.views import PrincipleViewSet
from resources.api.views import ResourceViewSet
from taxonomy.api.views import TermViewSet, VocabularyViewSet


class APIRootView(PublicAPIMixin, routers.APIRootView):
    """The Ethical Tech Map API: read-only, anonymous, open data under CC BY 4.0.

    The guide is at /api/, the OpenAPI schema at /api/schema/ and interactive docs at /api/docs/.
    """


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    include_format_suffixes = False  # formats through ?format= and Accept, as documented


router = Router()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("vocabularies", VocabularyViewSet, basename="vocabulary")
router.register("terms", TermViewSet, basename="term")
router.register("principles", PrincipleViewSet, basename="principle")
router.register("resources", ResourceViewSet, basename="resource")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("stats", StatsViewSet, basename="stats")
router.register("export", ExportViewSet, basename="export")
