"""The people of the integrity run: members sending forms, moderators working the admin.

Each is a thread with its own `requests.Session` (cookies, CSRF), going to one of the app servers
in turn. A request that finds no server or a 502/503 (PostgreSQL restarting) is tried again, as a
person would, a bounded number of times; what each one did is kept for the checks.
"""

import random
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests

RETRIES = 40
RETRY_PAUSE = 0.5
PASSWORD = "integrity-run-password"
THANKS = re.compile(r"/submit/thanks/\?ref=(\d+):")


class FormReader(HTMLParser):
    """The fields of one <form> (the first, or the one with `form_id`) as a browser sends them."""

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.fields and self.form_id in (None, a.get("id")):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value", "on" if "checked" in a else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(html, form_id=None, **changes):
    """The form's fields as (name, value) pairs, with `changes` typed over them."""
    reader = FormReader(form_id)
    reader.feed(html)
    pairs = [(k, v) for k, v in reader.fields if k not in changes]
    return pairs + list(changes.items())


@dataclass
class Tally:
    """What the actors did, shared between threads (appends are atomic in CPython)."""

    accepted: list = field(default_factory=list)  # (submission pk, kind)
    sent: dict = field(default_factory=dict)  # kind -> posts that got an answer
    moderator_values: set = field(default_factory=set)  # every value a moderator typed
    saves: list = field(default_factory=list)  # (moderator, org pk, field, value, outcome)
    approvals: list = field(default_factory=list)  # (moderator, approved, refused)
    retries: int = 0
    server_errors: int = 0
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, key):
        with self.lock:
            self.sent[key] = self.sent.get(key, 0) + 1

    def bump(self, attribute):
        with self.lock:
            setattr(self, attribute, getattr(self, attribute) + 1)


class Actor(threading.Thread):
    pause = 0.2  # seconds between two things one person does

    def __init__(self, name, servers, tally, stop, seed):
        super().__init__(name=name, daemon=True)
        self.servers, self.tally, self.stop = servers, tally, stop
        self.random = random.Random(seed)
        self.session = requests.Session()
        self.number = 0

    def base(self):
        return self.servers[self.number % len(self.servers)]

    def call(self, method, path, **kwargs):
        """One request, tried again while no server answers or the database is away."""
        url = self.base() + path
        for _attempt in range(RETRIES):
            try:
                response = self.session.request(method, url, timeout=20, **kwargs)
            except requests.RequestException:
                response = None
            if response is not None and response.status_code not in (502, 503, 504):
                if response.status_code >= 500:
                    self.tally.bump("server_errors")
                return response
            self.tally.bump("retries")
            time.sleep(RETRY_PAUSE)
        self.tally.bump("gave_up")
        return None

    def post_form(self, path, html, form_id=None, **changes):
        data = form_fields(html, form_id, **changes)
        return self.call("POST", path, data=data, allow_redirects=False)

    def run(self):
        while not self.stop.is_set():
            self.number += 1
            self.act()
            time.sleep(self.pause)


class Member(Actor):
    """Sends new entries (some the same organisation as others'), edits and reports."""

    def __init__(self, *args, targets, twins, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets, self.twins = targets, twins

    def act(self):
        roll = self.random.random()
        if roll < 0.4:
            self.new_entry()
        elif roll < 0.8:
            self.edit()
        else:
            self.report()

    def _send(self, path, kind, **changes):
        page = self.call("GET", path)
        if page is None or page.status_code != 200:
            return
        response = self.post_form(path, page.text, None, **changes)
        if response is None:
            return
        self.tally.count(kind)
        found = THANKS.search(response.headers.get("Location", ""))
        if response.status_code == 302 and found:
            self.tally.accepted.append((int(found.group(1)), kind))

    def new_entry(self):
        if self.random.random() < 0.5:
            name, website = self.random.choice(self.twins)
        else:
            name = f"Member {self.name} Collective {self.number}"
            website = f"https://{self.name}-{self.number}.example.org/"
        self._send(
            "/submit/",
            "new",
            name=name,
            website=website,
            summary="Builds fair tools for everyone.",
            org_type="cooperative",
            region="london",
            consequences="data-privacy",
            submitter_name="Member",
            submitter_email="member@example.org",
            connection="none",
            consent="on",
        )

    def edit(self):
        field_name = self.random.choice(["city", "summary"])
        slug = self.random.choice(self.targets)
        value = f"Edit {self.name}-{self.number} {field_name}"
        self._send(
            f"/organisations/{slug}/suggest-edit/",
            "edit",
            **{field_name: value},
            submitter_name="Member",
            submitter_email="member@example.org",
            connection="none",
            consent="on",
        )

    def report(self):
        slug = self.random.choice(self.targets)
        self._send(
            f"/organisations/{slug}/report/",
            "report",
            problem="outdated",
            details="Their page says they moved.",
            connection="none",
            consent="on",
        )


class Moderator(Actor):
    """Approves the queue in bulk and edits entries in the admin, at the same time as the other."""

    def __init__(self, *args, username, target_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.username, self.target_ids = username, target_ids

    def sign_in(self):
        """Sign in before the clock starts (a password check is slow on purpose)."""
        page = self.call("GET", "/admin/login/?next=/admin/")
        response = self.post_form(
            "/admin/login/?next=/admin/", page.text, None, username=self.username, password=PASSWORD
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in")

    def act(self):
        if self.random.random() < 0.5:
            self.approve_some()
        else:
            self.edit_entry()

    def approve_some(self):
        queue = "/admin/orgs/submission/?status__exact=pending"
        page = self.call("GET", queue)
        if page is None or page.status_code != 200:
            return
        selected = re.findall(r'name="_selected_action" value="(\d+)"', page.text)[:8]
        if not selected:
            return
        data = [("action", "approve_selected"), ("index", "0")]
        data += [("_selected_action", pk) for pk in selected]
        data.append(("csrfmiddlewaretoken", self.session.cookies.get("csrftoken", "")))
        done = self.call("POST", queue, data=data)
        if done is None:
            return
        approved = re.search(r"Approved (\d+) submission", done.text)
        refused = done.text.count("Not approved")
        self.tally.approvals.append(
            (self.username, int(approved.group(1)) if approved else 0, refused)
        )

    def edit_entry(self):
        pk = self.random.choice(self.target_ids)
        path = f"/admin/orgs/organisation/{pk}/change/"
        page = self.call("GET", path)
        if page is None or page.status_code != 200:
            return
        field_name = self.random.choice(["city", "summary"])
        value = f"Moderator {self.username}-{self.number} {field_name}"
        self.tally.moderator_values.add(value)
        response = self.post_form(path, page.text, "organisation_form", **{field_name: value})
        if response is None:
            return
        outcome = "saved" if response.status_code == 302 else "refused"
        if outcome == "refused" and "changed since you opened it" not in response.text:
            outcome = f"error {response.status_code}"
        self.tally.saves.append((self.username, pk, field_name, value, outcome))
