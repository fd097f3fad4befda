from pathlib import Path

import psycopg
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from association.backup import BackupError, backup_create, backup_prune, database_is_empty


class Command(BaseCommand):
    help = (
        "Write one archive with the whole database (every language) and the media files, readable by its "
        "owner only, then delete all but the newest BACKUP_KEEP archives. Exits non-zero when it fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BACKUP_DIR),
            help="Folder of the archives (default: BACKUP_DIR, else var/backups); made private (0700).",
        )
        parser.add_argument("--database", default="default", help="Database alias to dump.")
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="Archives kept in the folder, the newest ones (default: BACKUP_KEEP, else 14; 0 keeps all).",
        )

    def handle(self, *args, output_dir: str, database: str, keep: int, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        folder = Path(output_dir)
        settings_dict = connections[database].settings_dict
        try:
            if database_is_empty(settings_dict):
                # Almost surely the wrong database (DATABASE_URL not set where the backup runs).
                raise BackupError(f"Database {settings_dict['NAME']!r} has no tables: is DATABASE_URL set?")
            archive = backup_create(
                database=settings_dict,
                media=default_storage,
                output_dir=folder,
            )
        except (BackupError, OSError, psycopg.Error) as error:
            raise CommandError(f"Backup failed: {error}") from error
        removed = backup_prune(folder, keep)
        self.stderr.write(self.style.SUCCESS(f"Backup written: {archive}"))
        if removed:
            self.stderr.write(f"Older archives deleted (keeping {keep}): {', '.join(path.name for path in removed)}")
        return str(archive)
