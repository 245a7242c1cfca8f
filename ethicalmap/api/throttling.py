"""Throttles that read their rates when a request arrives, not when the module is imported.

DRF's throttles copy DEFAULT_THROTTLE_RATES once, so a deployment's (or a test's) settings would not
reach them. The counts live in Django's cache: Redis when configured, local memory otherwise.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _CurrentRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    """Anonymous clients, by IP address."""


class UserThrottle(_CurrentRates, UserRateThrottle):
    """Signed-in users, by account."""


class ExportThrottle(_CurrentRates, SimpleRateThrottle):
    """The full export is heavy: a tighter limit per client, signed in or not."""

    scope = "export"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
