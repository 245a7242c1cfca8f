from django.conf import settings

SITE_NAME = "Ethical Tech Map"


def site(request):
    """Values every page's layout needs."""
    return {
        "SITE_NAME": SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "DATA_LICENCE": "CC BY 4.0",
        "DATA_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/",
    }
