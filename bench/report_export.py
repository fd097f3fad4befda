"""Time, peak memory and file size of the yearly table (DOCX and XLSX) of one year.

    .venv/bin/python bench/report_export.py [--year 2024] [--times N] [--language ru]

Runs against the embedded development database. Without ``--times`` it measures the
database as it is (the seed, or the seed with ``generate_demo_data``). With ``--times N``
the year's partners, with their agreements and the year's events, are first copied N−1
times inside a transaction that is rolled back at the end, so the year holds N times its
volume and nothing is left behind.

Time is the best of 3 runs (the first pays for loading modules and translations); memory
is measured in a run of its own: the peak of Python's allocations (tracemalloc) and the
growth of the process's peak resident memory (VmHWM, reset before the run), which also
counts what lxml and the database driver allocate outside Python.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events.models import Event  # noqa: E402
from events.report.export.content import ReportScope, report_partners  # noqa: E402
from events.report.export.service import yearly_report  # noqa: E402
from partners.models import Agreement, Milestone, Partner  # noqa: E402


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def run(year: int, language: str, file_format: str, *, trace: bool = False) -> tuple[float, int, int, int, int]:
    """Seconds, traced peak, peak RSS growth (bytes), file size and queries of one generation."""
    with tempfile.TemporaryFile() as out:
        reset = trace and _reset_peak()
        rss_before = _status("VmRSS:")
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            yearly_report(year=year, language=language, file_format=file_format, out=out)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        rss_growth = _status("VmHWM:") - rss_before if reset else 0
        return elapsed, peak, rss_growth, out.tell(), len(queries)


def copy_year(year: int, times: int) -> dict[str, int]:
    """The year's partners, agreements and events copied ``times - 1`` times, in bulk."""
    partners = list(report_partners(ReportScope(year, "ru")).prefetch_related("agreements__milestones"))
    events = list(
        Event.objects.published().in_year(year).filter(partners__in=partners).distinct().prefetch_related("partners")
    )
    link = Event.partners.through
    for copy in range(1, times):
        clones = {}
        for partner in partners:
            clone = Partner(
                slug=f"bench-{copy}-{partner.slug}"[:80],
                country_id=partner.country_id,
                kind=partner.kind,
                name_ru=f"{partner.name_ru} {copy}",
                name_en=f"{partner.name_en} {copy}",
                name_vi=f"{partner.name_vi} {copy}",
                ties_since_on=partner.ties_since_on,
                ties_since_precision=partner.ties_since_precision,
                report_years=partner.report_years,
            )
            clones[partner.pk] = clone
        Partner.objects.bulk_create(clones.values(), batch_size=1000)
        agreements, steps = [], []
        for partner in partners:
            for agreement in partner.agreements.all():
                clone = Agreement(
                    partner=clones[partner.pk],
                    kind=agreement.kind,
                    position=agreement.position,
                    title_ru=agreement.title_ru,
                    title_en=agreement.title_en,
                    title_vi=agreement.title_vi,
                )
                agreements.append(clone)
                steps.extend((clone, step) for step in agreement.milestones.all())
        Agreement.objects.bulk_create(agreements, batch_size=1000)
        Milestone.objects.bulk_create(
            [
                Milestone(
                    agreement=clone, date_on=step.date_on, date_precision=step.date_precision, label_ru=step.label_ru
                )
                for clone, step in steps
            ],
            batch_size=1000,
        )
        copies = []
        for event in events:
            copies.append(
                Event(
                    title_ru=event.title_ru,
                    title_en=event.title_en,
                    title_vi=event.title_vi,
                    start_on=event.start_on,
                    start_precision=event.start_precision,
                    end_on=event.end_on,
                    end_precision=event.end_precision,
                    last_day=event.last_day,
                    kind=event.kind,
                    place=event.place,
                    published_on=event.published_on,
                    report_year=event.report_year,
                )
            )
        Event.objects.bulk_create(copies, batch_size=1000)
        link.objects.bulk_create(
            [
                link(event_id=clone.pk, partner_id=clones[partner.pk].pk)
                for clone, event in zip(copies, events, strict=True)
                for partner in event.partners.all()
                if partner.pk in clones
            ],
            batch_size=5000,
        )
    scope = ReportScope(year, "ru")
    listed = report_partners(scope)
    return {
        "partners": listed.count(),
        "agreements": Agreement.objects.filter(partner__in=listed).count(),
        "events": Event.objects.published().in_year(year).filter(partners__in=listed).distinct().count(),
    }


def measure(year: int, language: str, label: str) -> None:
    for file_format in ("docx", "xlsx"):
        timings = [run(year, language, file_format)[0] for _ in range(3)]
        _elapsed, peak, rss, size, queries = run(year, language, file_format, trace=True)
        print(
            f"{label}, {file_format}: {min(timings):.2f} s best of 3 (first {timings[0]:.2f} s), "
            f"peak Python memory {peak / 2**20:.1f} MiB, peak RSS growth {rss / 2**20:.1f} MiB, "
            f"{size / 1024:.0f} KiB, {queries} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--language", default="ru")
    options = parser.parse_args()
    with transaction.atomic():
        volume = copy_year(options.year, options.times) if options.times > 1 else None
        if volume is None:
            listed = report_partners(ReportScope(options.year, options.language))
            volume = {
                "partners": listed.count(),
                "agreements": Agreement.objects.filter(partner__in=listed).count(),
                "events": Event.objects.published()
                .in_year(options.year)
                .filter(partners__in=listed)
                .distinct()
                .count(),
            }
        label = (
            f"{options.year} ×{options.times} ({volume['partners']} partners, {volume['agreements']} agreements, "
            f"{volume['events']} events, {options.language})"
        )
        measure(options.year, options.language, label)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
