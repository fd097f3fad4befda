"""``manage.py import_report FILE --year 2024 [--dry-run] [--create-missing]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from events.report import ReportError
from events.report.readers import MAX_BYTES
from events.report.service import report_import


class Command(BaseCommand):
    help = "Import the Committee's yearly partner-city report (TSV, CSV, XLSX or DOCX)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="the report's year, e.g. 2024")
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
        parser.add_argument(
            "--create-missing", action="store_true", help="create the partners that match none in the portal"
        )
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file: Path, year: int, dry_run: bool, create_missing: bool, user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(f"{file}: the file is too large (at most {MAX_BYTES} bytes)")
        importer = get_user_model().objects.filter(username=user).first() if user else None
        if user and importer is None:
            raise CommandError(f"no user {user!r}")
        try:
            outcome = report_import(
                data=file.read_bytes(),
                filename=file.name,
                year=year,
                user=importer,
                create_missing=create_missing,
                dry_run=dry_run,
            )
        except ReportError as error:
            raise CommandError(f"{file}: {error}") from None
        plan = outcome.plan
        if plan.already_imported:
            self.stdout.write(f"{file} was already imported ({plan.already_imported}); nothing to do.")
            return
        for problem in plan.not_understood:
            self.stdout.write(f"  not understood, row {problem.row}, column {problem.column}: {problem.text[:100]}")
        for partner in plan.unmatched:
            if partner.flags:
                where, flags = f"{partner.country.name}, row {partner.rows[0]}", " ".join(partner.flags)
                self.stdout.write(f"  check the new partner {partner.display_name} ({where}): {flags}")
        counts = plan.counts()
        prefix = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{prefix}: partners {counts['partners']} ({outcome.counts['partners']} new), "
            f"agreements {counts['agreements']} ({outcome.counts['agreements']} new), "
            f"events {counts['events']} ({outcome.counts['events']} new), "
            f"items not understood {counts['items_not_understood']}."
        )
        if outcome.report_import and not dry_run:
            review = reverse("admin:events_reportimport_review", args=[outcome.report_import.pk])
            self.stdout.write(f"The new events and partners are drafts: review and publish them at {review}")
