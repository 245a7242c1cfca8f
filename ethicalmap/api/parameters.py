"""The query parameters an endpoint takes, read from what uses them: the filters of its FilterSet
and its paginator (on a list), and `format` (everywhere). The schema documents the same ones.

Any other parameter is a 400 that names it, so a misspelt or unsupported filter (`name__regex`,
`foo`) is never mistaken for one that matched everything.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings


def list_filters(view):
    """The filters of the view's FilterSet, by parameter name; none but on a list."""
    if getattr(view, "action", None) != "list":
        return {}
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, DjangoFilterBackend):
            filterset = backend().get_filterset_class(view, view.get_queryset())
            if filterset is not None:
                return dict(filterset.base_filters)
    return {}


def accepted_parameters(view):
    names = {api_settings.URL_FORMAT_OVERRIDE, *list_filters(view)}
    paginator = getattr(view, "paginator", None)
    if paginator is not None and getattr(view, "action", None) == "list":
        names.update(p["name"] for p in paginator.get_schema_operation_parameters(view))
    return names


def refuse_unknown_parameters(view, request):
    accepted = accepted_parameters(view)
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        message = "Not a parameter of this endpoint, which takes: " + ", ".join(sorted(accepted))
        raise ValidationError({name: [message + "."] for name in unknown})
