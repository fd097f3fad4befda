"""Backups that lose nothing: one archive with the database (every language's text) and media.

Archive layout (``.tar.gz``)::

    manifest.json    format, date, database name, pg_dump version, media file count
    database.dump    ``pg_dump --format=custom`` of the whole database
    media/…          the files under MEDIA_ROOT

``pg_dump``/``pg_restore`` come from ``PG_BIN_DIR`` when set, else from pgserver's
bundled PostgreSQL when the embedded database is in use (same version as the server),
else from ``PATH``. Credentials go through the environment, never the command line.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import psycopg

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


def backup_create(*, database: dict[str, Any], media_root: Path, output_dir: Path) -> Path:
    """Writes ``spbaic-<UTC timestamp>.tar.gz`` into ``output_dir``; returns its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = output_dir / f"spbaic-{stamp}.tar.gz"
    args, env = _connection(database)
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMP_NAME
        _run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", *args], env)
        media_files = sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "created": stamp,
            "database": database["NAME"],
            "pg_dump": _run([pg_binary("pg_dump"), "--version"], env).strip(),
            "media_files": len(media_files),
        }
        (Path(workdir) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(workdir) / MANIFEST_NAME, MANIFEST_NAME)
            tar.add(dump, DUMP_NAME)
            for path in media_files:
                tar.add(path, f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
        partial.rename(archive)  # a crash never leaves a half-written archive under the final name
    return archive


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


def backup_restore(*, archive: Path, database: dict[str, Any], media_root: Path) -> dict[str, Any]:
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
        media = Path(workdir) / MEDIA_DIR
        if media.is_dir():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    return manifest
