"""Backup and restore round-trip the seed content with nothing lost, every language included."""

import os
import re
import secrets
import shlex
import stat
import subprocess
import tarfile
import uuid
from pathlib import Path
from unittest.mock import patch

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections

from association.embedded_db import embedded_bin_dir
from association.seed import seed_load
from partners.models import Partner


def connect(database: str) -> psycopg.Connection:
    settings_dict = connection.settings_dict
    options = settings_dict["OPTIONS"]
    return psycopg.connect(
        dbname=database,
        host=settings_dict["HOST"] or options.get("host"),
        port=settings_dict["PORT"] or options.get("port") or None,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )


def every_row_of_every_table(database: str) -> dict[str, list[str]]:
    with connect(database) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ]
        return {
            table: sorted(row for (row,) in conn.execute(f'SELECT row_to_json(t)::text FROM "{table}" AS t'))
            for table in tables
        }


def url_of(database: str) -> str:
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"] or settings_dict["OPTIONS"].get("host")
    if host.startswith("/"):
        return f"postgresql://{settings_dict['USER']}@/{database}?host={host}"
    return f"postgresql://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{host}:{settings_dict['PORT']}/{database}"


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connect(connection.settings_dict["NAME"]) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect(connection.settings_dict["NAME"]) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_loses_nothing(tmp_path, settings, empty_database):
    seed_load()
    assert Partner.objects.exclude(name_vi="").exists()  # the comparison covers real translations
    # The media storage of the tests keeps files in memory: read and written through the storage API only.
    default_storage.save("events/фото.jpg", ContentFile(b"\xff\xd8 image bytes"))

    archive = call_command("backup", output_dir=str(tmp_path / "backups"))
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump", "media/events/фото.jpg"} <= set(tar.getnames())

    default_storage.delete("events/фото.jpg")
    call_command("restore", archive, database_url=url_of(empty_database))

    original = every_row_of_every_table(connection.settings_dict["NAME"])
    restored = every_row_of_every_table(empty_database)
    assert original.keys() == restored.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert sum(map(len, original.values())) > 100
    with default_storage.open("events/фото.jpg") as restored_file:
        assert restored_file.read() == b"\xff\xd8 image bytes"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    archive = call_command("backup", output_dir=str(tmp_path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, database_url=url_of(connection.settings_dict["NAME"]))


def test_restore_refuses_an_archive_that_escapes_its_folder(tmp_path, settings, empty_database):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, "../../escaped")
    with pytest.raises((CommandError, tarfile.TarError)):
        call_command("restore", str(evil), database_url=url_of(empty_database))
    assert not (tmp_path.parent / "escaped").exists()


def archive_mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db(transaction=True)
def test_archives_are_private_and_the_oldest_are_pruned(tmp_path, settings):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o755)
    old = [folder / f"spbaic-2020010{day}T000000Z.tar.gz" for day in range(1, 5)]
    for path in old:
        path.write_bytes(b"old")
    archive = Path(call_command("backup", output_dir=str(folder), keep=3))
    assert archive_mode(archive) == 0o600
    assert archive_mode(folder) == 0o700
    assert sorted(folder.iterdir()) == [*old[-2:], archive]  # the three newest


@pytest.mark.django_db(transaction=True)
def test_keep_zero_keeps_every_archive(tmp_path, settings):
    (tmp_path / "spbaic-20200101T000000Z.tar.gz").write_bytes(b"old")
    call_command("backup", output_dir=str(tmp_path), keep=0)
    assert len(list(tmp_path.glob("spbaic-*.tar.gz"))) == 2


def test_backups_go_to_var_backups_and_fourteen_are_kept_by_default(settings):
    assert os.environ.get("BACKUP_DIR") is None  # the suite runs with the defaults
    assert settings.BACKUP_DIR == settings.BASE_DIR / "var" / "backups"
    assert settings.BACKUP_KEEP == 14


@pytest.mark.django_db
def test_an_empty_database_is_refused_rather_than_backed_up(tmp_path, empty_database):
    target = {**connection.settings_dict, "NAME": empty_database}
    with pytest.raises(CommandError, match="no tables"), patch.dict(connections["default"].settings_dict, target):
        call_command("backup", output_dir=str(tmp_path))
    assert not list(tmp_path.iterdir())


def runbook_cron_command() -> str:
    """The command of the backup's crontab line in docs/OPERATIONS.md, after its five time fields."""
    runbook = (Path(django_settings.BASE_DIR) / "docs" / "OPERATIONS.md").read_text()
    block = next(block for block in re.finditer(r"```cron\n(.*?)```", runbook, re.DOTALL) if "backup" in block.group(1))
    lines = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    return lines[0].split(None, 5)[5]


def run_as_cron(command: str, env_file: Path) -> subprocess.CompletedProcess:
    command = command.replace("/srv/spbaic", shlex.quote(str(django_settings.BASE_DIR)))
    command = command.replace("/etc/spbaic/env", shlex.quote(str(env_file)))
    cron_environment = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "SHELL": "/bin/sh"}
    return subprocess.run(
        ["/bin/sh", "-c", command], env=cron_environment, capture_output=True, text=True, timeout=300, check=False
    )


def production_environment(tmp_path: Path, database_url: str) -> Path:
    env_file = tmp_path / "env"
    lines = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "spbaic.example.org",
        "REDIS_URL": "redis://cache.internal.example:6379/0",  # required in production; a backup never reaches it
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    if not os.environ.get("DATABASE_URL"):  # the suite's embedded server: its own pg_dump, through PG_BIN_DIR
        lines["PG_BIN_DIR"] = str(embedded_bin_dir())
    env_file.write_text("".join(f"{key}={shlex.quote(value)}\n" for key, value in lines.items()))
    env_file.chmod(0o600)
    return env_file


@pytest.mark.django_db(transaction=True)
def test_the_runbooks_cron_line_backs_up(tmp_path):
    result = run_as_cron(
        runbook_cron_command(), production_environment(tmp_path, url_of(connection.settings_dict["NAME"]))
    )
    assert result.returncode == 0, result.stderr
    [archive] = (tmp_path / "backups").iterdir()
    assert result.stdout.strip() == str(archive)
    assert archive_mode(archive) == 0o600 and archive_mode(tmp_path / "backups") == 0o700
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump"} <= set(tar.getnames())


@pytest.mark.django_db(transaction=True)
def test_the_cron_lines_exit_status_says_when_it_failed(tmp_path):
    unreachable = url_of(connection.settings_dict["NAME"]).replace(connection.settings_dict["NAME"], "no_such_db", 1)
    result = run_as_cron(runbook_cron_command(), production_environment(tmp_path, unreachable))
    assert result.returncode != 0
    assert "no_such_db" in result.stderr
    assert not list((tmp_path / "backups").glob("spbaic-*"))


@pytest.mark.django_db(transaction=True)
def test_make_backup_with_no_argument_writes_into_var_backups(tmp_path):
    env_file = production_environment(tmp_path, url_of(connection.settings_dict["NAME"]))
    env_file.write_text("\n".join(line for line in env_file.read_text().splitlines() if "BACKUP_DIR" not in line))
    result = run_as_cron("cd /srv/spbaic && set -a && . /etc/spbaic/env && set +a && make -s backup", env_file)
    assert result.returncode == 0, result.stderr
    archive = Path(result.stdout.strip())
    try:
        assert archive.parent == Path(django_settings.BASE_DIR) / "var" / "backups"
        assert archive_mode(archive) == 0o600 and archive_mode(archive.parent) == 0o700
    finally:
        archive.unlink()
