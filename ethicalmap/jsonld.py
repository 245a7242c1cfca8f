"""A schema.org JSON-LD document as a <script> element, safe to put in any page.

The data is serialised with the same escaping as Django's `json_script` (`<`, `>` and `&` as \\u
escapes), so no text an organisation or a submitter wrote can close the <script> element it
sits in.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data):
    """A <script type="application/ld+json"> element holding `data`, safe to put in a page."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)
    # Safe: `text` is JSON with <, > and & escaped as \u003c, \u003e and \u0026 above.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
