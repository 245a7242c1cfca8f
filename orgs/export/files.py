"""The export's files on disk: built once per data version into `EXPORT_ROOT`, streamed from.

Files derived from the data, never held by one server: any app server rebuilds them from the
database (see `export_folder`).
"""

import datetime
import fcntl
import json
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from ethicalmap import background, spreadsheets
from ethicalmap.dataversion import DataVersion, data_version
from orgs.export.tables import TABLES, package_descriptor

ZIP_NAME = "export.zip"
# How long the request that starts the very first build waits for it (well within a worker's
# timeout): a map of a few hundred organisations has its export at once.
FIRST_BUILD_WAIT = 10
VERSION_NAME = "version.json"  # which data version a folder holds, to serve it while a newer builds


def _build(version, folder):
    """Write every table's CSV, datapackage.json and the zip of them all into `folder`."""
    descriptor = json.dumps(package_descriptor(version), indent=2)
    (folder / "datapackage.json").write_text(descriptor, encoding="utf-8")
    stamp = version.last_modified.isoformat() if version.last_modified else None
    (folder / VERSION_NAME).write_text(json.dumps({"token": version.token, "changed": stamp}))
    for table in TABLES:
        with open(folder / table.path, "w", encoding="utf-8", newline="") as text:
            writer = spreadsheets.writer(text)
            writer.writerow([column.name for column in table.columns])
            for obj in table.rows():  # in chunks: memory stays flat however many rows
                writer.writerow([column.value(obj) for column in table.columns])
    with zipfile.ZipFile(folder / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / "datapackage.json", "datapackage.json")
        for table in TABLES:
            archive.write(folder / table.path, table.path)


class ExportBusy(Exception):
    """Another process is building the export now."""


@contextmanager
def _snapshot():
    """One consistent view of the data for the whole build: every table of a package agrees."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _newest_complete(root):
    """(version, folder) of the newest export on disk, of whatever version, or None."""
    complete = []
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.name.startswith(".") or not (folder / ZIP_NAME).exists():
            continue
        try:
            held = json.loads((folder / VERSION_NAME).read_text())
            built = folder.stat().st_mtime
        except (OSError, ValueError):
            continue  # removed meanwhile, or built before folders said their version
        changed = held["changed"] and datetime.datetime.fromisoformat(held["changed"])
        complete.append((built, DataVersion(held["token"], changed or None), folder))
    if not complete:
        return None
    _, version, folder = max(complete, key=lambda found: found[0])
    return version, folder


def _build_newest(root, lock):
    """(version, folder) of the export of the current data, built unless another process just
    built it, and the older ones removed; holding `lock`, which it closes."""
    with lock:
        with _snapshot():
            version = data_version()
            folder = root / version.token
            if (folder / ZIP_NAME).exists():
                return version, folder
            partial = Path(tempfile.mkdtemp(dir=root, prefix=".building-"))
            try:
                _build(version, partial)
                partial.rename(folder)
            finally:
                shutil.rmtree(partial, ignore_errors=True)
        for old in root.iterdir():
            if old.is_dir() and old != folder:
                shutil.rmtree(old, ignore_errors=True)  # files open for reading stay readable
    return version, folder


def _build_in_background(root, lock):
    return background.start(
        "export-build", lambda: _build_newest(root, lock), failure="The export could not be built"
    )


def export_folder(version=None):
    """(version, folder) of the newest export, built at most once per data version.

    Files on disk, not in the cache: a request streams them in blocks (the server may use
    sendfile), so serving the export takes no memory however large the data grow. Each app server
    builds its own copy once per version, in one snapshot of the data; one process builds at a
    time (a lock file). The version given (perhaps a moment old) only finds a folder already
    built; a build always reads the version afresh, so no process rebuilds an older one. Older
    folders are removed once a newer one is complete.

    With EXPORT_BUILD_IN_BACKGROUND (production), no request waits for a build, which at 100,000
    organisations outlasts a worker's timeout: the request that finds the export out of date
    starts the build in a thread of its process and, like every request while it runs, is given
    the newest export already built (an older version, which it says). When none was ever built,
    the request waits up to FIRST_BUILD_WAIT for the first, then gets ExportBusy.
    """
    root = Path(settings.EXPORT_ROOT)
    version = version or data_version()
    folder = root / version.token
    if (folder / ZIP_NAME).exists():
        return version, folder
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = open(root / ".lock", "w")  # noqa: SIM115 - closed by whoever builds, or below
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another process is building it
        lock.close()
        newest = _newest_complete(root)
    else:
        if not settings.EXPORT_BUILD_IN_BACKGROUND:
            return _build_newest(root, lock)
        building = _build_in_background(root, lock)
        newest = _newest_complete(root)
        if newest is None:  # the first export ever: a small one is built in a moment
            building.join(FIRST_BUILD_WAIT)
            newest = _newest_complete(root)
    if newest is None:
        raise ExportBusy
    return newest


def open_export_file(name, version=None):
    """(version, open file) of one file of the newest export. A folder can be removed between
    finding and opening it, when another process has just built a newer one: then once more,
    with the version read afresh."""
    version, folder = export_folder(version)
    try:
        return version, open(folder / name, "rb")
    except FileNotFoundError:
        version, folder = export_folder()
        return version, open(folder / name, "rb")


def export_filename(version, table=None):
    """The download's name: the zip, or one `table` of it, dated by the data."""
    day = (version.last_modified or datetime.datetime.now(datetime.UTC)).date().isoformat()
    if table is None:
        return f"ethical-tech-map-{day}.zip"
    return f"ethical-tech-map-{table.name}-{day}.csv"
