import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from association.embedded_db import DATA_DIR

CREDENTIALS_FILE = DATA_DIR.parent / "local-admin.txt"


class Command(BaseCommand):
    help = "On the embedded development database, create a staff account once and print its credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG or os.environ.get("DATABASE_URL"):
            self.stdout.write("Not the embedded development database: no account created.")
            return
        users = get_user_model().objects
        if users.filter(username="admin").exists():
            if CREDENTIALS_FILE.exists():
                self.stdout.write(f"Local admin account: {CREDENTIALS_FILE.read_text().strip()}")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser("admin", "admin@localhost", password)
        CREDENTIALS_FILE.write_text(f"username admin, password {password}\n")
        self.stdout.write(self.style.SUCCESS(f"Created local admin account: username admin, password {password}"))
        self.stdout.write(f"(kept in {CREDENTIALS_FILE})")
