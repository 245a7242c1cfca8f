"""The whole map's counts and drawings are built after a write, never shown older than the data."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ethicalmap import kept, limits
from ethicalmap.dataversion import data_version
from ethicalmap.models import KeptValue
from orgs import kept as orgs_kept
from orgs.models import Organisation
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

# Each page or endpoint with what it shows of the whole field, read from a kept value.
WHOLE_FIELD = ["/", "/organisations/", "/map/", "/map/geo/", "/map/network/", "/insights/"]
WHOLE_FIELD += ["/map/landscape.svg"]
WHOLE_FIELD += ["/map/network/?links=terms", "/taxonomy/", "/api/v1/stats/", "/api/v1/terms/"]


def organisation_queries(queries):
    """The queries that read the organisations' table or their links to terms."""
    return [q["sql"] for q in queries if '"orgs_organisation' in q["sql"]]


def counted_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return captured.captured_queries


@pytest.fixture
def field(db):
    area = TermFactory(name="Data privacy", vocabulary=VocabularyFactory(slug="consequences"))
    return area, [OrganisationFactory(name=f"Privacy group {n}", terms=[area]) for n in range(3)]


@pytest.fixture
def built_on_write(settings):
    settings.KEPT_BUILD_ON_WRITE = True
    settings.KEPT_BUILD_IN_BACKGROUND = False


@pytest.mark.django_db(transaction=True)
def test_a_write_builds_them_so_no_visitor_counts_the_whole_field(client, built_on_write, field):
    OrganisationFactory(name="Fresh Foundation", terms=[field[0]])  # committed: built after it
    token = data_version().token
    assert set(KeptValue.objects.values_list("name", flat=True)) == set(kept.declared())
    assert set(KeptValue.objects.values_list("version", flat=True)) == {token}
    for path in WHOLE_FIELD:
        queries = counted_queries(client, path)
        # The directory still lists its first page, and the home page its newest entries.
        assert len(organisation_queries(queries)) <= 3, path
        assert not [q for q in organisation_queries(queries) if "COUNT(" in q.upper()], path
    assert client.get("/api/v1/stats/").json()["organisations"] == 4
    assert b"Fresh Foundation" in client.get("/map/").content


@pytest.mark.django_db(transaction=True)
def test_what_a_write_changes_is_seen_at_once(client, built_on_write, field):
    area, members = field
    for path in WHOLE_FIELD:
        client.get(path)
    assert client.get("/api/v1/stats/").json()["organisations"] == 3
    # Without a signal (QuerySet.update), as a bulk load or a raw statement writes.
    Organisation.objects.filter(pk=members[0].pk).update(status=Organisation.Status.ARCHIVED)
    assert client.get("/api/v1/stats/").json()["organisations"] == 2
    assert b"Privacy group 0" not in client.get("/map/").content
    assert "<dd>2</dd>" in client.get("/").content.decode()
    assert "2 organisations" in client.get("/organisations/").content.decode()
    assert 'class="n">2<' in client.get("/taxonomy/").content.decode()
    term = client.get(f"/api/v1/terms/{area.slug}/").json()
    assert term["organisation_count"] == 2
    members[1].delete()
    assert client.get("/api/v1/stats/").json()["organisations"] == 1
    assert b"Privacy group 1" not in client.get("/map/").content


@pytest.mark.django_db
def test_a_value_built_while_the_data_moved_is_not_kept(field):
    def build_while_a_write_lands():
        OrganisationFactory(name="Written meanwhile")
        return "counted before the write"

    moving = kept.Kept("moving-test-value", build_while_a_write_lands)
    try:
        assert moving.get() == "counted before the write"
        assert not KeptValue.objects.filter(name="moving-test-value").exists()
    finally:
        kept._values.pop("moving-test-value")


@pytest.mark.django_db
def test_a_value_that_counts_from_today_is_built_again_the_next_day(field, monkeypatch):
    today = {"day": datetime.date(2026, 11, 30)}
    monkeypatch.setattr(kept.timezone, "localdate", lambda: today["day"])
    builds = []
    daily = kept.Kept("daily-test-value", lambda: builds.append(1) or len(builds), daily=True)
    try:
        assert daily.get() == 1
        assert daily.get() == 1  # the same day: read back
        today["day"] = datetime.date(2026, 12, 1)
        assert daily.get() == 2  # the next day
    finally:
        kept._values.pop("daily-test-value")


@pytest.mark.django_db
def test_the_request_reads_back_what_it_built(client, field):
    first = counted_queries(client, "/insights/")
    second = counted_queries(client, "/insights/")
    assert organisation_queries(first)
    assert not organisation_queries(second)


def test_writes_in_a_row_while_one_builds_are_one_more_build(settings, monkeypatch):
    settings.KEPT_BUILD_ON_WRITE = True
    settings.KEPT_BUILD_IN_BACKGROUND = True
    started, release, builds = threading.Event(), threading.Event(), []

    def build_all():
        builds.append(1)
        started.set()
        release.wait(5)
        return []

    monkeypatch.setattr(kept, "_build_unless_elsewhere", build_all)
    kept.after_write()
    assert started.wait(5)
    kept.after_write()  # three writes while the first build runs ...
    kept.after_write()
    kept.after_write()
    release.set()
    for _ in range(100):
        if not kept.waiting():
            break
        threading.Event().wait(0.05)
    assert not kept.waiting()
    assert len(builds) == 2  # ... are one more build, not three


@pytest.mark.django_db
def test_the_command_builds_what_is_out_of_date_and_says_so(field, capsys):
    call_command("keep_derived")
    assert f"Built {len(kept.declared())} of {len(kept.declared())}" in capsys.readouterr().out
    call_command("keep_derived")
    assert "Built 0 of" in capsys.readouterr().out
    Organisation.objects.filter(pk=field[1][0].pk).update(name="Renamed")
    call_command("keep_derived")
    assert f"Built {len(kept.declared())} of" in capsys.readouterr().out
    assert orgs_kept.insights.get()["organisations"] == 3


@pytest.fixture
def older_while_building(settings, field):
    """Values built for the data as they are, then a write no signal sees (QuerySet.update)."""
    settings.KEPT_STALE_WHILE_BUILDING = True
    settings.FAST_CACHE_SECONDS = 600
    kept.build_all()
    Organisation.objects.filter(pk=field[1][0].pk).update(status=Organisation.Status.ARCHIVED)
    return field


@pytest.mark.django_db
def test_while_a_build_runs_visitors_get_the_last_counts_and_no_cache_keeps_them(
    client, older_while_building, monkeypatch
):
    started = []
    monkeypatch.setattr(kept, "build_soon", lambda: started.append(1))
    stats = client.get("/api/v1/stats/")
    assert stats.json()["organisations"] == 3  # the counts before the write, at once
    assert stats["Cache-Control"] == "no-store"
    assert not stats.has_header("ETag")
    home = client.get("/")
    assert "<dd>3</dd>" in home.content.decode()
    assert home["Cache-Control"] == "no-store"
    assert b"Privacy group 0" in client.get("/map/landscape.svg").content
    assert started  # ... while a build of the new counts runs
    kept.build_all()  # it ends
    assert b"Privacy group 0" not in client.get("/map/landscape.svg").content
    stats = client.get("/api/v1/stats/")
    assert stats.json()["organisations"] == 2  # the anonymous cache kept nothing older
    assert stats.has_header("ETag")
    assert "public" in stats["Cache-Control"]
    assert "<dd>2</dd>" in client.get("/").content.decode()


@pytest.mark.django_db
def test_with_nothing_built_yet_the_request_builds_it(client, settings, field):
    settings.KEPT_STALE_WHILE_BUILDING = True
    assert not KeptValue.objects.exists()
    stats = client.get("/api/v1/stats/")
    assert stats.json()["organisations"] == 3
    assert stats.has_header("ETag")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a build thread's own connection")
@pytest.mark.django_db(transaction=True)
def test_a_version_is_built_by_one_process_at_a_time(client, older_while_building):
    def settle():
        for _ in range(200):
            if not kept.waiting():
                return
            threading.Event().wait(0.05)
        raise AssertionError("the build did not end")

    token = data_version().token
    # Another app server is building this version: this one serves the older counts meanwhile.
    assert limits.claim(f"kept-build:{token}", 60)
    assert client.get("/api/v1/stats/").json()["organisations"] == 3
    settle()
    assert set(KeptValue.objects.values_list("version", flat=True)) != {token}
    # It ends without keeping them (the data moved meanwhile, say): the next visitor starts one.
    limits.release(f"kept-build:{token}")
    assert client.get("/api/v1/stats/").json()["organisations"] == 3
    settle()
    assert set(KeptValue.objects.values_list("version", flat=True)) == {token}
    assert client.get("/api/v1/stats/").json()["organisations"] == 2


def test_a_build_prolongs_its_claim_as_it_goes_so_only_a_dead_one_lapses(field, monkeypatch):
    """The claim on a version's build is short (a build lost with its process must not hold
    the version for long) and prolonged after each value built, however long they all take."""
    prolonged = []
    monkeypatch.setattr(limits, "prolong", lambda name, seconds: prolonged.append((name, seconds)))
    claim = f"kept-build:{data_version().token}"

    kept._build_unless_elsewhere()

    assert prolonged == [(claim, kept.BUILD_CLAIM_SECONDS)] * len(kept.declared())
    assert kept.BUILD_CLAIM_SECONDS <= 60
    assert limits.claim(claim, 60)  # released at the end
