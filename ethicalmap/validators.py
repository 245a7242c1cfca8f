from django.core.validators import URLValidator
from django.db import models

# Only web addresses a visitor can follow safely: no javascript:, data:, ftp: or file: links.
http_url_validator = URLValidator(schemes=["http", "https"])


class WebURLField(models.URLField):
    """A URL that must be http(s); a form assumes https when the scheme is left off."""

    default_validators = [http_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
