from django.core.management.base import BaseCommand

from core.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the site search index from all records (after installing, or after bulk changes)."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt for {count} records."))
