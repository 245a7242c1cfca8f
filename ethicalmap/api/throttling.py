"""API throttles that count in the store every app process shares (`ethicalmap.limits`).

DRF's own throttles keep a list of timestamps in Django's cache, read and written back: in local
memory each process counts alone, and even in Redis two requests at once both read the same
list. These count with one atomic hit instead, in a fixed window that opens at a client's first
request, so `API_ANON_RATE` holds however many processes and machines answer. A refused request
gets a 429 whose Retry-After says when the window ends.

The rates are read when a request arrives, not when the module is imported (DRF copies
DEFAULT_THROTTLE_RATES once), so a deployment's or a test's settings reach them. A client is
known by a keyed hash of its address or account; no address is stored.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ethicalmap import limits


class SharedRateThrottle(SimpleRateThrottle):
    """At most the scope's rate per client, counted in the shared store."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        """Who is counted: the account when signed in, else the client's address (hashed)."""
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        return limits.key(f"api-{self.scope}", ident)

    def allow_request(self, request, view):
        self.reset_in = None
        if self.rate is None:
            return True
        name = self.get_cache_key(request, view)
        if name is None:
            return True
        counted = limits.hit(name, self.duration)
        self.reset_in = counted.reset_in
        return counted.count <= self.num_requests

    def wait(self):
        # At least a second: a window that ends as the request is refused still says when.
        return None if self.reset_in is None else max(self.reset_in, 1)


class AnonThrottle(SharedRateThrottle):
    """Anonymous clients, by address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None  # UserThrottle counts them
        return super().get_cache_key(request, view)


class UserThrottle(SharedRateThrottle):
    """Signed-in users, by account.

    Unlike DRF's UserRateThrottle it leaves anonymous clients to AnonThrottle: one count per
    request, not two of the same client.
    """

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ExportThrottle(SharedRateThrottle):
    """The full export is heavy: a tighter limit per client, signed in or not."""

    scope = "export"
