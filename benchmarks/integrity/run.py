"""Integrity under concurrency: members, moderators, two app servers and a PostgreSQL restart.

    .venv/bin/python benchmarks/integrity/run.py [--seconds 40] [--keep]

Starts a PostgreSQL server of its own (initdb into a temporary folder, on a free port, so
restarting it disturbs no one else's database), migrates it and loads the starter data, then
runs two gunicorn servers of the map against it. For `--seconds`, 8 members send new entries
(half of them the same few organisations, written differently), suggested edits and reports
(on the same six entries), while 2 moderators approve the queue in bulk and edit those entries
in the admin; PostgreSQL is restarted once half-way. Afterwards it counts, from the database:
every accepted submission is in the queue or decided; no organisation is published twice; no
field a moderator wrote was changed by an edit that did not propose it; every decision has a
history row. It prints the counts as JSON and exits non-zero if any of them is broken.
"""

import argparse
import datetime
import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.integrity.actors import PASSWORD, Member, Moderator, Tally  # noqa: E402
from benchmarks.integrity.checks import all_counts  # noqa: E402

PYTHON = sys.executable
MEMBERS, MODERATORS = 8, 2
# The same organisations sent by several members, written differently (the second with a
# Cyrillic "О"); each pair shares a website.
TWINS = [
    (name, f"https://twin{k}.example.org/")
    for k in range(1, 4)
    for name in (f"Twin Org {k}", f"The Twin Оrg {k} Ltd")
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temporary folder, run as the `postgres` user."""

    def __init__(self):
        found = sorted(glob.glob(os.environ.get("PG_BIN", "/usr/lib/postgresql/*/bin")))
        if not found:
            sys.exit("No PostgreSQL server binaries (set PG_BIN to the folder of pg_ctl).")
        self.bin = Path(found[-1])
        self.folder = Path(tempfile.mkdtemp(prefix="integrity-pg-"))
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/ethicalmap_integrity"

    def _run(self, *command):
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "log"),
                  "-o", options, "-w", "start")  # fmt: skip
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", "ethicalmap_integrity")  # fmt: skip

    def restart(self):
        started = time.monotonic()
        # With its log file named, pg_ctl leaves no output pipe open behind the new server.
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l",
                  str(self.folder / "log"), "-m", "fast", "-w", "restart")  # fmt: skip
        return round(time.monotonic() - started, 2)

    def stop(self):
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                      "-w", "stop")  # fmt: skip
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def app_env(database_url, secret_key):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SUBMISSION_MIN_FILL_SECONDS": "0",
        "SUBMISSION_RATE_LIMIT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MODERATOR_EMAILS": "queue@example.org",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


MODERATORS_SETUP = """
from django.contrib.auth.models import Group, User
from orgs.moderators import MODERATORS_GROUP
for name in {names!r}:
    user = User.objects.create_user(name, password={password!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
"""


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def prepare(env, usernames):
    say("migrating and loading the starter data")
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input"], ["load_starter_data"],
                    ["collectstatic", "--no-input", "-v0"]):  # fmt: skip
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True)
    setup = MODERATORS_SETUP.format(names=usernames, password=PASSWORD)
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, capture_output=True)


def start_servers(env, folder, count=2):
    servers, processes = [], []
    for n in range(count):
        port = free_port()
        log = open(folder / f"gunicorn-{n}.log", "w")  # noqa: SIM115 - closed with the process
        processes.append(
            subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "ethicalmap.wsgi:application",
                    "-c",
                    "gunicorn.conf.py",
                ],  # fmt: skip
                cwd=ROOT,
                env={**env, "PORT": str(port)},
                stdout=log,
                stderr=log,
            )
        )
        servers.append(f"http://127.0.0.1:{port}")
    import requests

    deadline = time.monotonic() + 60
    for base in servers:
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.3)
        else:
            sys.exit(f"{base} did not start; see {folder}")
    return servers, processes


def targets():
    """Six published entries that members and moderators all work on."""
    from orgs.models import Organisation

    return list(Organisation.objects.published().order_by("name").values_list("pk", "slug")[:6])


def run_load(servers, hot, seconds, restart):
    tally, stop = Tally(), threading.Event()
    slugs, ids = [slug for _pk, slug in hot], [pk for pk, _slug in hot]
    actors = (
        [
            Member(
                f"member{n}",
                servers[n % 2 :] + servers[: n % 2],
                tally,
                stop,
                n,
                targets=slugs,
                twins=TWINS,
            )  # fmt: skip
            for n in range(MEMBERS)
        ]
        + [
            Moderator(
                f"moderator{n}",
                servers[n % 2 :] + servers[: n % 2],
                tally,
                stop,
                100 + n,
                username=f"moderator{n}",
                target_ids=ids,
            )  # fmt: skip
            for n in range(MODERATORS)
        ]
    )
    for actor in actors:
        if isinstance(actor, Moderator):
            actor.sign_in()
    say(f"{MEMBERS} members and {MODERATORS} moderators at work for {seconds:g} s")
    for actor in actors:
        actor.start()
    time.sleep(seconds / 2)
    say("restarting PostgreSQL")
    restart_seconds = restart()
    time.sleep(seconds / 2)
    say("stopping, then counting")
    stop.set()
    for actor in actors:
        actor.join(timeout=60)
    return tally, restart_seconds, ids


def report(tally, counts, restart_seconds):
    saves = [s[-1] for s in tally.saves]
    counts["load"] = {
        "posts answered by kind": tally.sent,
        "admin saves": {o: saves.count(o) for o in sorted(set(saves))},
        "bulk approvals": sum(a for _m, a, _r in tally.approvals),
        "refused in bulk (duplicate or conflict)": sum(r for _m, _a, r in tally.approvals),
        "retries while the database was away": tally.retries,
        "server errors (500)": tally.server_errors,
        "requests given up": tally.gave_up,
        "postgresql restart seconds": restart_seconds,
    }
    print(json.dumps(counts, indent=2, ensure_ascii=False))
    moderated = counts["moderated fields"]
    broken = (
        counts["submissions"]["missing"]
        + counts["organisations"]["published_twice"]
        + moderated.get("moderator's field changed by an edit not proposing it", 0)
        + moderated.get("edit written over a change its member did not see", 0)
        + counts["decisions"]["decided_without_history"]
    )
    return 1 if broken else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--keep", action="store_true", help="leave the logs folder")
    args = parser.parse_args()
    postgres = PrivatePostgres()
    logs = Path(tempfile.mkdtemp(prefix="integrity-logs-"))
    processes = []
    try:
        say("starting a PostgreSQL server of our own")
        postgres.start()
        env = app_env(postgres.url, secrets.token_urlsafe(40))
        prepare(env, [f"moderator{n}" for n in range(MODERATORS)])
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "DEBUG")})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ethicalmap.settings")
        import django

        django.setup()
        say("starting two app servers")
        servers, processes = start_servers(env, logs)
        started_at = datetime.datetime.now(datetime.UTC)
        tally, restart_seconds, ids = run_load(servers, targets(), args.seconds, postgres.restart)
        from django.db import connections

        connections.close_all()  # opened before the restart
        return report(tally, all_counts(tally, ids, started_at), restart_seconds)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        postgres.stop()
        if not args.keep:
            shutil.rmtree(logs, ignore_errors=True)
        else:
            print(f"logs: {logs}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
