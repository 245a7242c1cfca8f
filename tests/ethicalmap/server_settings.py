"""Settings for app servers that a test starts as processes of their own (test_two_servers.py).

Production's, configured by the environment like any deployment, with one difference: static
files are named as they lie, so pages render without a collectstatic manifest.
"""

from ethicalmap.settings import *  # noqa: F403
from ethicalmap.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
