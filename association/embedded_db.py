"""The embedded PostgreSQL used when ``DATABASE_URL`` is not set (development, tests).

pgserver ships a PostgreSQL build inside its wheel and runs it on a Unix socket in a
git-ignored folder, so a fresh clone needs no database server. Production always
sets ``DATABASE_URL``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pgserver import PostgresServer

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata" / "db"


def embedded_server() -> PostgresServer:
    """The running embedded server (started if it is not running)."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None keeps the server running between commands: one start per
        # machine boot instead of one per manage.py call.
        return pgserver.get_server(DATA_DIR, cleanup_mode=None)


def embedded_database_url() -> str:
    return embedded_server().get_uri()


def embedded_bin_dir() -> Path:
    """pgserver's bundled PostgreSQL binaries (pg_dump, pg_restore, pg_ctl…)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def embedded_server_stop() -> None:
    """Stops the embedded server at once (tests of a database outage)."""
    from pgserver._commands import pg_ctl

    server = embedded_server()
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def embedded_server_start() -> None:
    server = embedded_server()
    with server._lock:
        server.ensure_postgres_running()
