"""The public forms. Each creates one Submission through its services and nothing else."""

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from orgs.models import Organisation, Submission
from orgs.submissions import antiabuse, services
from orgs.submissions.edits import EditSuggestionForm
from orgs.submissions.forms import (
    AssessmentForm,
    OrganisationForm,
    ReportForm,
)
from orgs.submissions.resource_forms import ResourceForm
from resources.models import Resource

_thanks_signer = signing.Signer(salt="orgs.submit.thanks")


def _thanks(submission=None):
    url = reverse("submit:thanks")
    if submission is not None:
        url += "?ref=" + _thanks_signer.sign(str(submission.pk))
    return redirect(url)


def _create(form, *, kind, organisation=None):
    """Store a good form as one submission of `kind`, about `organisation` unless it is new."""
    return services.submission_create(
        kind=kind, organisation=organisation, data=form.submission_data(), **form.submitter()
    )


def _handle(request, *, form_class, template, context=None, form_kwargs=None, create):
    """GET shows the form; POST checks it and, when it is good, stores one submission.

    Whatever goes wrong, the form comes back with everything the person typed.
    """
    form_kwargs = form_kwargs or {}
    context = {"retention_days": settings.PERSONAL_DATA_RETENTION_DAYS, **(context or {})}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, label_suffix="", **form_kwargs)
        valid = form.is_valid()
        retry_after = antiabuse.rate_limit_exceeded(request)
        if retry_after:
            context["retry_minutes"] = max(1, round(retry_after / 60))
            status = 429
        elif valid and form.claim_started():  # a form is stored once, however often it is sent
            try:
                submission = create(form)
            except Exception:
                form.release_started()  # nothing was stored: the same form may be sent again
                raise
            return _thanks(submission)
        elif form.is_bot:
            return _thanks()
        form.refresh_started()
    else:
        form = form_class(
            initial={antiabuse.STARTED_FIELD: antiabuse.started_token()},
            label_suffix="",
            **form_kwargs,
        )
    response = render(request, template, {"form": form, **context}, status=status)
    if status == 429:
        response["Retry-After"] = str(context["retry_minutes"] * 60)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit_organisation(request):
    return _handle(
        request,
        form_class=OrganisationForm,
        template="orgs/submissions/new.html",
        context={"org_names": Organisation.objects.published().names_for_datalist()},
        create=lambda form: _create(form, kind=Submission.Kind.NEW),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def share_resource(request):
    return _handle(
        request,
        form_class=ResourceForm,
        template="orgs/submissions/resource.html",
        create=lambda form: _create(form, kind=Submission.Kind.RESOURCE),
    )


@never_cache
@require_safe
def submit_thanks(request):
    submission = None
    try:
        pk = int(_thanks_signer.unsign(request.GET.get("ref", "")))
    except (signing.BadSignature, ValueError):
        pk = None
    if pk is not None:
        submission = (
            Submission.objects.select_related("organisation", "possible_duplicate_of")
            .filter(pk=pk)
            .first()
        )
    pending_duplicates = []
    if submission is not None and submission.kind == Submission.Kind.NEW:
        pending_duplicates = Submission.objects.pending_duplicates_of(
            name=submission.data.get("name"),
            website=submission.data.get("website"),
            exclude=submission,
        )
    return render(
        request,
        "orgs/submissions/thanks.html",
        {"submission": submission, "pending_duplicates": len(pending_duplicates)},
    )


def _organisation(slug):
    return get_object_or_404(Organisation.objects.published().with_terms(), slug=slug)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest_edit(request, slug):
    organisation = _organisation(slug)

    return _handle(
        request,
        form_class=EditSuggestionForm,
        template="orgs/submissions/edit.html",
        context={
            "organisation": organisation,
            "org_names": Organisation.objects.published().names_for_datalist(),
        },
        form_kwargs={"organisation": organisation},
        create=lambda form: _create(form, kind=Submission.Kind.EDIT, organisation=organisation),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, slug):
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)

    return _handle(
        request,
        form_class=ReportForm,
        template="orgs/submissions/report.html",
        context={"organisation": organisation},
        form_kwargs={"organisation": organisation},
        create=lambda form: _create(form, kind=Submission.Kind.REPORT, organisation=organisation),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def assess(request, slug):
    from principles.models import MaturityLevel, Principle

    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    principles = list(Principle.objects.live().order_by("order", "title"))

    return _handle(
        request,
        form_class=AssessmentForm,
        template="orgs/submissions/assess.html",
        context={"organisation": organisation},
        form_kwargs={
            "organisation": organisation,
            "principles": principles,
            "levels": list(MaturityLevel.objects.all()),
            "case_studies": Resource.objects.published()
            .filter(kind=Resource.Kind.CASE_STUDY, case_organisation=organisation)
            .values_list("slug", "title"),
        },
        create=lambda form: _create(form, kind=form.kind, organisation=organisation),
    )
