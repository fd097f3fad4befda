"""``manage.py export_report --year 2024 --language ru --format docx report-2024.docx``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.report.export.service import FORMATS, yearly_report
from partners.models import Region


class Command(BaseCommand):
    help = (
        "Write the Committee's yearly table «Сотрудничество Санкт-Петербурга с городами-партнерами» "
        "from the portal's data, as DOCX or XLSX."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", help="the file to write")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES], default="ru")
        parser.add_argument(
            "--format", dest="file_format", choices=sorted(FORMATS), help="by default the output's extension"
        )
        parser.add_argument(
            "--region", dest="regions", action="append", default=[], help="a region's code (repeat for several)"
        )

    def handle(self, *args, output: str, year: int, language: str, file_format: str | None, regions, **options):
        path = Path(output)
        file_format = file_format or path.suffix.lstrip(".").lower()
        if file_format not in FORMATS:
            raise CommandError(f"Say --format docx or xlsx (or name the output ….docx or ….xlsx), not {output!r}.")
        known = set(Region.objects.values_list("code", flat=True))
        if unknown := sorted(set(regions) - known):
            raise CommandError(f"Unknown region codes: {', '.join(unknown)} (known: {', '.join(sorted(known))}).")
        partial = path.with_name(path.name + ".part")  # no half-written file under the real name
        try:
            with partial.open("wb") as out:
                yearly_report(year=year, language=language, file_format=file_format, regions=regions, out=out)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
