"""Markdown written by people (moderators, submitters) rendered to HTML that is safe to show.

Markdown is rendered once, when a text is written, and the HTML is stored beside it: pages and
the API read the stored HTML and never parse Markdown per request. The parser is markdown-it-py,
a CommonMark parser that runs in time linear in its input, so no text ("[" ten thousand times,
say) can hold a worker. The HTML is then cleaned by nh3 against an allow-list, so whatever raw
HTML or `javascript:` link a text contains, only harmless markup is stored.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# CommonMark as written, raw HTML included (nh3 keeps only the allowed tags of it).
_PARSER = MarkdownIt("commonmark")


def render_markdown(text):
    """Return sanitised HTML for a Markdown text (an empty string for an empty text)."""
    if not text:
        return ""
    return nh3.clean(
        _PARSER.render(text).strip(),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


class StoresRenderedMarkdown:
    """A model mixin: `markdown_fields` maps each Markdown field to the field keeping its HTML,
    rendered on every save (and by `render_markdown_fields()` for rows that skip `save()`, such as
    those of `bulk_create`). A save of some fields stores the HTML of those among them."""

    markdown_fields: dict[str, str] = {}

    def render_markdown_fields(self):
        for source, html in self.markdown_fields.items():
            setattr(self, html, render_markdown(getattr(self, source)))

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *(html for source, html in self.markdown_fields.items() if source in update_fields),
            }
        super().save(*args, **kwargs)


def render_stored(app_label, model_name, markdown_fields):
    """A migration's `RunPython` function storing the HTML of a model's existing rows (the
    historical model a migration gets has no `save()` of ours, so it is rendered here)."""

    def forwards(apps, schema_editor):
        rows = apps.get_model(app_label, model_name).objects.using(schema_editor.connection.alias)
        changed = list(rows.only("pk", *markdown_fields))
        for row in changed:
            for source, html in markdown_fields.items():
                setattr(row, html, render_markdown(getattr(row, source)))
        rows.bulk_update(changed, list(markdown_fields.values()), batch_size=500)

    return forwards
