"""``manage.py refresh_geography [--names]``: the countries and regions brought up to date (partners/geography.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from partners.geography import geography_refresh


class Command(BaseCommand):
    help = (
        "Create the ISO 3166 countries and the Committee's regions that are missing, with their CLDR names in "
        "Russian, English and Vietnamese and the reports' spellings; fill in empty names."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--names", action="store_true", help="also replace names that differ from CLDR (and geography.yaml)"
        )

    def handle(self, *args, names: bool, **options) -> None:
        with transaction.atomic():
            counts = geography_refresh(names=names)
        summary = ", ".join(f"{what} {n}" for what, n in sorted(counts.items())) or "nothing to change"
        self.stdout.write(f"Geography: {summary}.")
