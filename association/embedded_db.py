"""The embedded PostgreSQL used when ``DATABASE_URL`` is not set (development, tests).

pgserver ships a PostgreSQL build inside its wheel and runs it on a Unix socket in a
git-ignored folder, so a fresh clone needs no database server. Production always
sets ``DATABASE_URL``.
"""

import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata" / "db"


def embedded_database_url() -> str:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running between commands: one start per
    # machine boot instead of one per manage.py call.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    return server.get_uri()
