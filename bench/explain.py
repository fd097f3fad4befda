"""EXPLAIN the queries of the main public pages and report sequential scans on the big tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100x .venv/bin/python bench/explain.py

Run it against the 100× database (see bench/README.md). Each page is served by its own
view, so its filters, pagination (the count, LIMIT and OFFSET) and prefetches are the
site's; every query the view runs is EXPLAINed. Queries that only the template runs (the
choices of the filter forms) are not included. Small tables (regions, countries) are
scanned whole by design and are not reported.

A sequential scan on a big table fails the run unless ACCEPTED says why it is the right
plan; accepted scans are still printed, with the reason and the planner's figures.
VERBOSE=1 prints every query and its plan; ANALYZE=1 runs EXPLAIN ANALYZE and adds timings
(the fastest of three runs: a warm cache) and the rows each scan really read.
"""

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.paginator import Page  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from django.views import View  # noqa: E402

from association.search import SearchView  # noqa: E402
from events.models import Event  # noqa: E402
from events.views import EventDetailView, EventListView  # noqa: E402
from partners.models import Partner  # noqa: E402
from partners.views import PartnerDetailView, PartnerListView  # noqa: E402

BIG_TABLES = {
    "events_event",
    "events_event_partners",
    "events_event_societies",
    "partners_partner",
    "partners_agreement",
    "partners_milestone",
    "core_searchentry",
    "societies_society",
}

# (page, table, "count" or "rows") → why a sequential scan is the right plan there.
SHORT_SCAN_ROWS = 1000  # e.g. the filter form's choices: at most CHOICE_LIMIT + 1 rows in no order

SOCIETIES_OF_A_COUNTRY = (
    "the societies of one country: a small table (900 rows at 100×) read once beats ~45 index probes"
)

ACCEPTED = {
    ("events: place", "events_event", "count"): (
        "counting a filter that keeps a quarter of the events touches most pages of the table; read in "
        "order they take about half the time of a bitmap scan through the index on place"
    ),
    ("events: country", "societies_society", "rows"): SOCIETIES_OF_A_COUNTRY,
}


@dataclass
class Scan:
    table: str
    role: str
    rows: float  # the planner's estimate of the rows it keeps, all workers together
    table_rows: int
    read_share: float | None  # the share of the table a LIMIT above it lets it read, by the planner's costs
    actual_read: int | None  # with ANALYZE: the rows it really read

    def short_by_limit(self) -> str | None:
        """The reason to accept a scan that a LIMIT stops after a few rows, whatever the table's size."""
        if self.read_share is not None and self.read_share * self.table_rows <= SHORT_SCAN_ROWS:
            return f"a LIMIT stops it after ~{self.read_share * self.table_rows:.0f} rows"
        return None

    def describe(self) -> str:
        text = f"keeps ~{self.rows:.0f} of {self.table_rows} rows"
        if self.read_share is not None:
            text += f", stops at a LIMIT after ~{self.read_share:.0%} of the table"
        if self.actual_read is not None:
            text += f"; really read {self.actual_read} rows"
        return text


def view_queries(view_class: type[View], path: str, data: dict | None = None, **kwargs) -> list[str]:
    """The SQL of every query the view runs for one request, its context's lazy lists evaluated."""
    request = RequestFactory(HTTP_HOST="localhost").get(path, data or {})
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        response = view_class.as_view()(request, **kwargs)
        for value in (response.context_data or {}).values():
            if isinstance(value, Page):
                list(value.object_list)
            elif isinstance(value, QuerySet):
                list(value)
    return [query["sql"] for query in captured.captured_queries if query["sql"].lstrip("( ").startswith("SELECT")]


def pages() -> Iterator[tuple[str, list[str]]]:
    partner = Partner.objects.published().filter(events__in=Event.objects.published()).order_by("slug").first()
    event = Event.objects.published().order_by("pk").first()

    def event_list(**data):
        return view_queries(EventListView, "/ru/events/", data)

    yield "events: all", event_list()
    yield "events: page 10", event_list(page="10")
    yield "events: year", event_list(year="2024")
    yield "events: country", event_list(country=partner.country.code)
    yield "events: partner", event_list(partner=partner.slug)
    yield "events: kind", event_list(kind="festival")
    yield "events: place", event_list(place="abroad")
    yield "events: upcoming", event_list(when="upcoming")
    yield "events: text", event_list(q="визит")
    yield "events: text, rare", event_list(q="Хошимин")
    yield "events: by title", event_list(sort="title")
    yield "partner directory", view_queries(PartnerListView, "/ru/partners/")
    yield "partner page", view_queries(PartnerDetailView, f"/ru/partners/{partner.slug}/", slug=partner.slug)
    yield "event page", view_queries(EventDetailView, f"/ru/events/{event.pk}/", pk=event.pk)
    yield "search", view_queries(SearchView, "/ru/search/", {"q": "визит делегации"})
    yield "search: inflected", view_queries(SearchView, "/ru/search/", {"q": "Шанхая"})
    yield "search: country", view_queries(SearchView, "/ru/search/", {"q": "Китай"})
    yield "search: abbreviated", view_queries(SearchView, "/ru/search/", {"q": "tp hcm"})
    yield "search: a typo", view_queries(SearchView, "/ru/search/", {"q": "Shanghia"})


STREAMING = {"Subquery Scan", "Result"}  # nodes through which a LIMIT still stops the scan below


ScanNode = tuple[dict, float | None, int]


def seq_scans(node: dict, limit_cost: float | None = None, workers: int = 0) -> Iterator[ScanNode]:
    """Every Seq Scan of a JSON plan, with the cost of a LIMIT that can stop it and the parallel workers."""
    kind = node["Node Type"]
    if kind == "Seq Scan":
        yield node, limit_cost, workers
    if kind == "Limit":
        limit_cost = node["Total Cost"]
    elif kind not in STREAMING:
        limit_cost = None
    if kind in ("Gather", "Gather Merge"):
        workers = node.get("Workers Planned", 0)
    for child in node.get("Plans", []):
        yield from seq_scans(child, limit_cost, workers)


def big_table_scans(plan: dict, role: str, table_rows: dict[str, int]) -> list[Scan]:
    scans = []
    for node, limit_cost, workers in seq_scans(plan["Plan"]):
        table = node["Relation Name"]
        if table not in BIG_TABLES:
            continue
        # A parallel scan's estimates are per process; PostgreSQL's leader does part of the work.
        share = workers + max(0.0, 1 - 0.3 * workers) if node.get("Parallel Aware") else 1
        read_share = min(1.0, limit_cost / node["Total Cost"]) if limit_cost and node["Total Cost"] else None
        actual = None
        if "Actual Rows" in node:
            loops = node.get("Actual Loops", 1)
            actual = int((node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * loops)
        scans.append(Scan(table, role, node["Plan Rows"] * share, table_rows.get(table, 0), read_share, actual))
    return scans


def best_plan(cursor: CursorWrapper, explain: str, runs: int) -> dict:
    """The JSON plan of the fastest of ``runs`` runs: with ANALYZE, timings of a warm cache."""
    plans = []
    for _ in range(runs):
        cursor.execute(explain)
        plan = cursor.fetchone()[0]
        plans.append((json.loads(plan) if isinstance(plan, str) else plan)[0])
    return min(plans, key=lambda plan: plan.get("Execution Time", 0.0))


def main() -> int:
    verbose, analyze = bool(os.environ.get("VERBOSE")), bool(os.environ.get("ANALYZE"))
    options = "ANALYZE, BUFFERS, " if analyze else ""
    unexplained, used = 0, set()
    with translation.override("ru"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        table_rows = dict(cursor.fetchall())
        for label, sqls in pages():
            total_ms, scans, details = 0.0, [], []
            for sql in sqls:
                role = "count" if sql.startswith("SELECT COUNT(*)") else "rows"
                plan = best_plan(cursor, f"EXPLAIN ({options}FORMAT JSON) {sql}", runs=3 if analyze else 1)
                total_ms += plan.get("Execution Time", 0.0)
                scans += big_table_scans(plan, role, table_rows)
                if verbose:
                    cursor.execute(f"EXPLAIN ({options}FORMAT TEXT) {sql}")
                    text = "\n    ".join(row[0] for row in cursor.fetchall())
                    details.append(f"  -- {role}: {sql[:300]}{' …' if len(sql) > 300 else ''}\n    {text}")
            timing = f"{total_ms:7.1f} ms  " if analyze else ""
            verdict = f"{len(scans)} seq scan(s) on big tables" if scans else "indexes only"
            print(f"{label:20} {len(sqls):2} queries  {timing}{verdict}")
            for scan in scans:
                reason = ACCEPTED.get((label, scan.table, scan.role)) or scan.short_by_limit()
                used.add((label, scan.table, scan.role))
                print(f"    {scan.table} ({scan.role}): {scan.describe()}")
                if reason:
                    print(f"      accepted: {reason}")
                else:
                    unexplained += 1
                    print("      NOT ACCEPTED")
            for detail in details:
                print(detail)
    for key in ACCEPTED.keys() - used:
        print(f"\nno longer needed: the acceptance of {key} (that scan is gone)")
    print(f"\n{unexplained} sequential scan(s) on big tables without a stated reason.")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
