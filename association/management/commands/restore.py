from pathlib import Path

import dj_database_url
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from association.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive of the backup command into an empty database, with its media files."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            default="",
            help="Restore into this (empty) database instead of the configured one, e.g. before switching over.",
        )

    def handle(self, *args, archive: Path, database_url: str, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        target = dj_database_url.parse(database_url) if database_url else connections["default"].settings_dict
        try:
            manifest = backup_restore(archive=archive, database=target, media=default_storage)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']} ({manifest['media_files']} media files) "
                f"into {target['NAME']}."
            )
        )
