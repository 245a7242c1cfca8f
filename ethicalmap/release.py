"""An id of the running code: answers kept in a shared cache must not outlive a deploy.

Kept answers are keyed on the data version, which a deploy does not change; after a deploy
with new templates, new static file names or a new API field, a Redis cache would otherwise
serve the old pages for up to FAST_CACHE_SECONDS. `RELEASE_ID` names the release when the
deployment has one (a commit hash, say); without it, the id is a digest of the code and
templates, read once per process (about 170 small files).
"""

import functools
import hashlib

from django.conf import settings

SOURCES = ("ethicalmap", "orgs", "taxonomy", "principles", "templates", "static")
SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json", ".toml", ".csv"}


@functools.cache
def release_id():
    if settings.RELEASE_ID:
        return settings.RELEASE_ID
    digest = hashlib.sha256()
    for source in SOURCES:
        for path in sorted((settings.BASE_DIR / source).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
