"""Time (best of 3) and peak memory of the report import, for the 2024 report and a 50× larger one.

    .venv/bin/python bench/report_import.py [TIMES]

Runs against the embedded development database inside a transaction that is rolled
back (a dry run), so it leaves no data behind. The countries are the reference geography
that ``migrate`` loads (with the report's spellings as aliases), as on a new site. The larger file is the 2024 table
repeated with renamed partners; it is generated here, never stored.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from events.report.service import report_import  # noqa: E402
from tests.events.conftest import REPORT_2024  # noqa: E402
from tests.events.report_files import synthetic  # noqa: E402


def import_once(label: str, data: bytes, *, trace_memory: bool = False) -> tuple[float, int, dict[str, int]]:
    """Seconds and peak traced memory (bytes, 0 unless traced) of one rolled-back import."""
    with transaction.atomic():
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        outcome = report_import(data=data, filename=f"{label}.tsv", year=2024, create_missing=True, dry_run=True)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        tracemalloc.stop()
        transaction.set_rollback(True)
    return elapsed, peak, outcome.counts


def measure(label: str, data: bytes, runs: int = 3) -> None:
    """Time without tracemalloc (it slows Python 2–3×), then trace memory in a run of its own.

    The first run pays for what a fresh process loads on first use (translations, URL
    resolvers, lazily imported modules); the best run is the import itself.
    """
    timings = [import_once(label, data)[0] for _ in range(runs)]
    _elapsed, peak, counts = import_once(label, data, trace_memory=True)
    print(
        f"{label}: {len(data) / 1024:.0f} KiB, {counts['partners']} partners, {counts['agreements']} agreements, "
        f"{counts['events']} events — {min(timings):.2f} s best of {runs} (first {timings[0]:.2f} s), "
        f"peak Python memory {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    times = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    call_command("migrate", verbosity=0)
    text = REPORT_2024.read_text(encoding="utf-8")
    measure("2024", REPORT_2024.read_bytes())
    measure(f"2024x{times}", synthetic(text, times))
