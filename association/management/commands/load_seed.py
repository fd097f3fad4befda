from django.core.management.base import BaseCommand, CommandError

from association.seed import SeedError, seed_load
from partners.models import Partner


class Command(BaseCommand):
    help = "Load the seed content of fixtures/ (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds partners."
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Partner.objects.exists():
            self.stdout.write("Content already present; seed not loaded.")
            return
        try:
            result = seed_load()
        except (SeedError, KeyError, ValueError) as error:
            raise CommandError(f"Seed content not loaded: {error}") from error
        summary = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seed content loaded: {summary}."))
