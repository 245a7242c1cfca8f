"""An organisation keeps its own entry: claim it, sign in by link, and act on that entry only.

Following a single-use link (a POST from the page it opens, so a mail scanner fetching the
link uses nothing) signs the maintainer in for an hour, in the session, for that entry only.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from orgs.maintain import forms, services
from orgs.maintain.links import LinkRefused, link_check
from orgs.models import Maintainer, Organisation
from orgs.submissions import antiabuse

SESSION_KEY = "maintainer"
SESSION_SECONDS = 60 * 60


class _Bot(Exception):
    """A form whose honeypot was filled in: answered as if it worked, and nothing is stored."""


def _guarded_form(request, form_class, **kwargs):
    """The form bound to a POST, or a fresh one; (form, seconds to wait or 0, good to store)."""
    if request.method != "POST":
        started = {antiabuse.STARTED_FIELD: antiabuse.started_token()}
        return form_class(initial=started, label_suffix="", **kwargs), 0, False
    form = form_class(request.POST, label_suffix="", **kwargs)
    valid = form.is_valid()
    retry_after = antiabuse.rate_limit_exceeded(request, scope="maintain")
    good = not retry_after and valid and form.claim_started()
    if form.is_bot:
        raise _Bot
    if not good:
        form.refresh_started()
    return form, retry_after, good


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request, slug):
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    sent = {"organisation": organisation, "how": services.CLAIM_TO_QUEUE}
    try:
        form, retry_after, good = _guarded_form(request, forms.ClaimForm)
    except _Bot:
        return render(request, "orgs/maintain/claim_sent.html", sent)
    if good:
        how = services.claim_create(
            organisation=organisation,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            evidence=form.cleaned_data["evidence"],
        )
        return render(request, "orgs/maintain/claim_sent.html", {**sent, "how": how})
    context = {"form": form, "organisation": organisation}
    return _form_page(request, "orgs/maintain/claim.html", context, retry_after)


def _form_page(request, template, context, retry_after):
    status = 429 if retry_after else 200
    if retry_after:
        context["retry_minutes"] = max(1, round(retry_after / 60))
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(context["retry_minutes"] * 60)
    return response


def _signed_in(request):
    """The maintainer the session was signed in as, if still in time and still maintaining."""
    held = request.session.get(SESSION_KEY) or {}
    if not held or held.get("until", 0) < time.time():
        return None
    return (
        Maintainer.objects.active().select_related("organisation").filter(pk=held.get("pk")).first()
    )


def _sign_in(request, maintainer):
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"pk": maintainer.pk, "until": time.time() + SESSION_SECONDS}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link(request, token):
    """The page a link opens; its buttons use the link (once) and sign the maintainer in."""
    try:
        found = link_check(token)
    except LinkRefused as refused:
        return _refused(request, refused.message)
    if request.method == "POST":
        try:
            maintainer = services.link_follow(token=token)
            _sign_in(request, maintainer)
            if request.POST.get("action") == "confirm":
                services.organisation_confirm(maintainer=maintainer)
                messages.success(request, "Thank you: the entry now says it was confirmed today.")
        except ValidationError as error:
            return _refused(request, error.messages[0])
        return redirect("maintain:home")
    return render(request, "orgs/maintain/link.html", {"link": found, "token": token})


def _refused(request, message):
    context = {
        "refusal": message,
        "form": forms.LinkRequestForm(initial={antiabuse.STARTED_FIELD: antiabuse.started_token()}),
    }
    return render(request, "orgs/maintain/request_link.html", context, status=410)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def home(request):
    """The signed-in maintainer's page for their entry; without a session, ask for a link."""
    maintainer = _signed_in(request)
    if maintainer is None:
        return _request_link(request)
    action = request.POST.get("action") if request.method == "POST" else None
    hand_on = forms.HandOnForm(request.POST if action == "hand_on" else None, prefix="hand")
    archive = forms.ArchiveForm(request.POST if action == "archive" else None, prefix="archive")
    done = _act(request, maintainer, action, hand_on, archive)
    if done:
        return redirect("maintain:home" if action in ("confirm", "archive") else "maintain:done")
    context = {
        "maintainer": maintainer,
        "organisation": maintainer.organisation,
        "hand_on": hand_on,
        "archive": archive,
    }
    return render(request, "orgs/maintain/home.html", context)


def _act(request, maintainer, action, hand_on, archive):
    if action == "confirm":
        services.organisation_confirm(maintainer=maintainer)
        messages.success(request, "Thank you: the entry now says it was confirmed today.")
    elif action == "hand_on" and hand_on.is_valid():
        services.maintainer_hand_on(maintainer=maintainer, **hand_on.cleaned_data)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            "We have sent your colleague a link. You no longer look after the entry, and we "
            "have deleted your name and email.",
        )
    elif action == "archive" and archive.is_valid():
        services.maintainer_ask_archive(
            maintainer=maintainer, details=archive.cleaned_data["details"]
        )
        messages.success(request, "A moderator will look at your request to archive the entry.")
    elif action == "stop":
        services.maintainer_stop(maintainer=maintainer)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request, "You no longer look after the entry, and we have deleted your name and email."
        )
    else:
        return False
    return True


def _request_link(request):
    try:
        form, retry_after, good = _guarded_form(request, forms.LinkRequestForm)
    except _Bot:
        messages.success(request, "If that address looks after an entry, a link is on its way.")
        return redirect("maintain:done")
    if good:
        services.sign_in_link_send(email=form.cleaned_data["email"])
        messages.success(request, "If that address looks after an entry, a link is on its way.")
        return redirect("maintain:done")
    return _form_page(request, "orgs/maintain/request_link.html", {"form": form}, retry_after)


@never_cache
@require_http_methods(["GET", "HEAD"])
def done(request):
    return render(request, "orgs/maintain/done.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request):
    """Propose changes: the suggest-edit form, read against what the maintainer was shown."""
    maintainer = _signed_in(request)
    if maintainer is None:
        return redirect("maintain:home")
    organisation = get_object_or_404(
        Organisation.objects.published().with_terms(), pk=maintainer.organisation_id
    )
    if request.method == "POST":
        form = forms.MaintainerEditForm(request.POST, organisation=organisation, label_suffix="")
        if form.is_valid():
            services.maintainer_propose(maintainer=maintainer, data=form.submission_data())
            messages.success(request, "Thank you: a moderator will look at your changes soon.")
            return redirect("maintain:home")
    else:
        form = forms.MaintainerEditForm(organisation=organisation, label_suffix="")
    context = {
        "form": form,
        "organisation": organisation,
        "org_names": Organisation.objects.published().names_for_datalist(),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
    }
    return render(request, "orgs/maintain/propose.html", context)
