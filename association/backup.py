"""Backups that lose nothing: one archive with the database (every language's text) and media.

Archive layout (``.tar.gz``)::

    manifest.json    format, date, database name, pg_dump version, media file count
    database.dump    ``pg_dump --format=custom`` of the whole database
    media/…          the uploaded files, read through the media storage (a folder or a bucket)

The archive is created readable by its owner only (0600) in a folder only its owner may
enter (0700): it holds the users' password hashes and the sessions. ``backup_prune``
keeps the newest archives of a folder and deletes the rest.

``pg_dump``/``pg_restore`` come from ``PG_BIN_DIR`` when set, else from pgserver's
bundled PostgreSQL when the embedded database is in use (same version as the server),
else from ``PATH``. Credentials go through the environment, never the command line.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from django.core.files import File
from django.core.files.storage import Storage

FORMAT = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"


class BackupError(RuntimeError):
    pass


def pg_binary(name: str) -> str:
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    if not os.environ.get("DATABASE_URL"):
        from association.embedded_db import embedded_bin_dir

        return str(embedded_bin_dir() / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return found


def _connection(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for a Django ``DATABASES`` entry."""
    options = database.get("OPTIONS") or {}
    host = database.get("HOST") or options.get("host")
    port = database.get("PORT") or options.get("port")
    args = [f"--dbname={database['NAME']}"]
    if host:
        args.append(f"--host={host}")
    if port:
        args.append(f"--port={port}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 — fixed argv
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result.stdout


def private_folder(folder: Path) -> None:
    """``folder``, created if need be, open to its owner only: the archives hold password hashes and sessions."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """The name of every file in ``storage`` under ``folder``, through the storage API (a bucket works too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for name in folders:
        yield from stored_files(storage, posixpath.join(folder, name))


def backup_create(*, database: dict[str, Any], media: Storage, output_dir: Path) -> Path:
    """Writes ``spbaic-<UTC timestamp>.tar.gz`` (mode 0600) into ``output_dir`` (mode 0700); returns its path."""
    private_folder(output_dir)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = output_dir / f"spbaic-{stamp}.tar.gz"
    args, env = _connection(database)
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMP_NAME
        _run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", *args], env)
        media_files = sorted(stored_files(media))
        manifest = {
            "format": FORMAT,
            "created": stamp,
            "database": database["NAME"],
            "pg_dump": _run([pg_binary("pg_dump"), "--version"], env).strip(),
            "media_files": len(media_files),
        }
        (Path(workdir) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_suffix(".partial")
        if archive.exists():
            raise BackupError(f"{archive} exists already: one backup a second at most.")
        try:
            # Created readable by the owner only, before the first byte is written.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise BackupError(f"{partial} exists: another backup is being written.") from error
        try:
            with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
                tar.add(Path(workdir) / MANIFEST_NAME, MANIFEST_NAME)
                tar.add(dump, DUMP_NAME)
                for name in media_files:
                    member = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
                    member.size, member.mtime = media.size(name), time.time()
                    with media.open(name, "rb") as content:
                        tar.addfile(member, content)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(archive)  # never a half-written archive under the final name
    return archive


ARCHIVE_GLOB = "spbaic-*.tar.gz"


def backup_prune(output_dir: Path, keep: int) -> list[Path]:
    """Deletes all but the ``keep`` newest archives of ``output_dir`` (none when ``keep`` is 0); returns them.

    Names carry their UTC time, so the order of names is the order of the backups. Half-written
    archives of a run that crashed (``.partial``) older than a day go too.
    """
    archives = sorted(output_dir.glob(ARCHIVE_GLOB))
    removed = archives[:-keep] if keep > 0 else []
    day_ago = time.time() - 86400
    removed += [path for path in output_dir.glob("spbaic-*.partial") if path.stat().st_mtime < day_ago]
    for path in removed:
        path.unlink()
    return removed


def database_is_empty(database: dict[str, Any]) -> bool:
    options = database.get("OPTIONS") or {}
    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or options.get("host"),
        "port": database.get("PORT") or options.get("port"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD") or None,
        "sslmode": options.get("sslmode"),
    }
    with psycopg.connect(**{key: value for key, value in params.items() if value}, connect_timeout=10) as connection:
        query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        return connection.execute(query).fetchone()[0] == 0


def backup_restore(*, archive: Path, database: dict[str, Any], media: Storage) -> dict[str, Any]:
    """Restores ``archive`` into an empty database (all or nothing) and its media; returns the manifest."""
    if not database_is_empty(database):
        raise BackupError(f"Database {database['NAME']!r} is not empty: restore into a new, empty database.")
    args, env = _connection(database)
    with tempfile.TemporaryDirectory() as workdir, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(workdir, filter="data")  # refuses absolute paths, "..", links out of the folder
        manifest = json.loads((Path(workdir) / MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        restore = [pg_binary("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*restore, "--exit-on-error", *args, str(Path(workdir) / DUMP_NAME)], env)
        extracted = Path(workdir) / MEDIA_DIR
        for path in sorted(extracted.rglob("*")) if extracted.is_dir() else []:
            if path.is_file():
                name = path.relative_to(extracted).as_posix()
                if media.exists(name):
                    media.delete(name)  # the archive's copy, under the same name
                with path.open("rb") as content:
                    media.save(name, File(content))
    return manifest
