import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ethicalmap.settings")

application = get_wsgi_application()

# The URLconf, and with it every view module, imported now rather than by each worker's first
# request (0.12 s of CPU): gunicorn loads this module once and forks its workers from it
# (gunicorn.conf.py), so a recycled worker starts warm.
import_module(settings.ROOT_URLCONF)
