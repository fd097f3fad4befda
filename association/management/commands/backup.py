from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from association.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write one archive with the whole database (every language) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(settings.BASE_DIR / "var" / "backups"))
        parser.add_argument("--database", default="default", help="Database alias to dump.")

    def handle(self, *args, output_dir: str, database: str, **options):
        try:
            archive = backup_create(
                database=connections[database].settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
                output_dir=Path(output_dir),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(self.style.SUCCESS(f"Backup written: {archive}"))
        return str(archive)
