"""`/maintain/`: an organisation's maintainer signs in by link and looks after their entry.

The claim form sits under the entry's address, in orgs/urls.py.
"""

from django.urls import path

from orgs.maintain import views

app_name = "maintain"

urlpatterns = [
    path("", views.home, name="home"),
    path("done/", views.done, name="done"),
    path("changes/", views.propose, name="propose"),
    path("<str:token>/", views.link, name="link"),
]
