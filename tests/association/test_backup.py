"""Backup and restore round-trip the seed content with nothing lost, every language included."""

import tarfile
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

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
    media = tmp_path / "media"
    (media / "events").mkdir(parents=True)
    (media / "events" / "фото.jpg").write_bytes(b"\xff\xd8 image bytes")
    settings.MEDIA_ROOT = media

    archive = call_command("backup", output_dir=str(tmp_path / "backups"))
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump", "media/events/фото.jpg"} <= set(tar.getnames())

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", archive, database_url=url_of(empty_database))

    original = every_row_of_every_table(connection.settings_dict["NAME"])
    restored = every_row_of_every_table(empty_database)
    assert original.keys() == restored.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert sum(map(len, original.values())) > 100
    assert (tmp_path / "restored-media" / "events" / "фото.jpg").read_bytes() == b"\xff\xd8 image bytes"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = call_command("backup", output_dir=str(tmp_path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, database_url=url_of(connection.settings_dict["NAME"]))


def test_restore_refuses_an_archive_that_escapes_its_folder(tmp_path, settings, empty_database):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, "../../escaped")
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises((CommandError, tarfile.TarError)):
        call_command("restore", str(evil), database_url=url_of(empty_database))
    assert not (tmp_path.parent / "escaped").exists()
