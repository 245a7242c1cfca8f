"""`/submit/`: add an organisation to the map, share a resource, and the page that says what
happens next.

The forms about one entry (suggest an edit, report, self-assess) sit under its address, in
orgs/urls.py.
"""

from django.urls import path

from orgs.submissions import views

app_name = "submit"

urlpatterns = [
    path("", views.submit_organisation, name="new"),
    path("resource/", views.share_resource, name="resource"),
    path("thanks/", views.submit_thanks, name="thanks"),
]
