"""The git-ignored ``.env`` of a development checkout, read by ``manage.py``.

``make run`` writes it once, so that every documented command (``manage.py
import_report``, ``createsuperuser``, ``shell``…) runs in development mode on the
embedded PostgreSQL without variables set by hand. Variables of the real
environment always win over the file; production has no such file and must set
``SECRET_KEY`` and ``DATABASE_URL`` itself.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_ENV_FILE = BASE_DIR / ".env"


def local_env_text() -> str:
    return (
        "# Development settings of this checkout, written by `make run`; not for production.\n"
        "DEBUG=true\n"
        "EMBEDDED_DB=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )


def local_env_write(path: Path = LOCAL_ENV_FILE) -> bool:
    """Writes the file unless it exists; says whether it did."""
    if path.exists():
        return False
    path.write_text(local_env_text())
    path.chmod(0o600)
    return True


def local_env_load(path: Path = LOCAL_ENV_FILE) -> None:
    """Reads the file, if there is one, without overriding the real environment."""
    if path.exists():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else LOCAL_ENV_FILE
    if local_env_write(target):
        print(f"Wrote {target}: development settings for manage.py (git-ignored).")
