"""Shared by the submission tests: the vocabularies the forms need, and valid form posts."""

import time
from html.parser import HTMLParser

from django.urls import reverse

from ethicalmap.starter import LoadReport, load_principles, load_taxonomy
from orgs.submissions.antiabuse import started_token


def load_vocabularies():
    """The starter taxonomy and principles, without the starter organisations."""
    report = LoadReport()
    load_taxonomy(report)
    load_principles(report)


def a_while_ago():
    """A form stamp from two minutes ago: as long as a person takes to fill a form in."""
    return started_token(at=time.time() - 120)


SUBMITTER = {
    "submitter_name": "Sam Submitter",
    "submitter_email": "sam@example.org",
    "connection": "staff",
    "connection_detail": "",
    "consent": "on",
    "homepage": "",
}


def new_org_post(**overrides):
    """What a person sends with /submit/ filled in properly."""
    data = {
        "name": "Fair Code Collective",
        "website": "https://faircode.example.org/",
        "summary": "Builds open tools that check public-sector algorithms for bias.",
        "description": "We *audit* algorithms and publish what we find.",
        "org_type": "cooperative",
        "size": "micro",
        "founded": "2019",
        "city": "Leeds",
        "region": "yorkshire-and-the-humber",
        "charity_number": "",
        "company_number": "",
        "contact_url": "",
        "consequences": ["algorithmic-bias", "bias-discrimination"],
        "activities": ["research", "tools-services"],
        "offers": ["help-expertise"],
        "looking_for": ["help-funding"],
        "tags": "audits, open source",
        **SUBMITTER,
        "started": a_while_ago(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_post(page_form, **changes):
    """The suggest-edit form as it is shown (prefilled), with `changes` typed over it."""
    data = {}
    for name in page_form.fields:
        value = page_form[name].value()
        if isinstance(value, list):
            data[name] = value
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value)
    data.update(SUBMITTER)
    data["started"] = a_while_ago()
    data.update(changes)
    return data


class _ActiveContent(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and dict(attrs).get("type") != "application/ld+json":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append("<script>")


def active_content(html):
    """Everything in a page that a browser would run: event handlers, script: links, scripts."""
    parser = _ActiveContent()
    parser.feed(html)
    return parser.found


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def in_directory(client, name):
    return name in page(client, reverse("orgs:list"))
