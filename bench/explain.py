"""EXPLAIN the main public queries and report sequential scans on the big tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100x .venv/bin/python bench/explain.py

Run it against the 100× database (see bench/README.md); small tables (regions,
countries) are scanned whole by design and are not reported.
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import translation  # noqa: E402

from association.search import entries_matching  # noqa: E402
from events.filters import EventFilter  # noqa: E402
from events.models import Event  # noqa: E402
from partners.models import Partner  # noqa: E402

BIG_TABLES = {
    "events_event",
    "events_event_partners",
    "events_event_societies",
    "partners_partner",
    "partners_agreement",
    "partners_milestone",
    "association_searchentry",
    "societies_society",
}


def event_list(**data):
    request = RequestFactory().get("/ru/events/", data)
    queryset = Event.objects.published()
    return EventFilter(data, queryset=queryset, request=request).qs[:30]


def queries():
    partner = Partner.objects.published().order_by("slug").first()
    event = Event.objects.published().order_by("pk").first()
    yield "events: all", event_list()
    yield "events: year", event_list(year="2024")
    yield "events: country", event_list(country=partner.country.code)
    yield "events: partner", event_list(partner=partner.slug)
    yield "events: kind", event_list(kind="festival")
    yield "events: place", event_list(place="abroad")
    yield "events: upcoming", event_list(when="upcoming")
    yield "events: text", event_list(q="визит")
    yield "events: by title", event_list(sort="title")
    yield "partner directory", Partner.objects.for_directory()
    yield "partner page: events", Event.objects.published().filter(partners=partner).order_by("-start_on", "pk")
    yield "partner page: siblings", Partner.objects.published().filter(country=partner.country)
    yield "event page", Event.objects.published().filter(pk=event.pk)
    yield "search", entries_matching("визит делегации", "ru")


def main() -> int:
    scans = 0
    with translation.override("ru"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for label, queryset in queries():
            plan = queryset.explain()
            seq = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)) & BIG_TABLES)
            scans += len(seq)
            print(f"{label:24} {'SEQ SCAN on ' + ', '.join(seq) if seq else 'indexes only'}")
            if os.environ.get("VERBOSE"):
                print(plan, "\n")
    print(f"\n{scans} sequential scan(s) on big tables.")
    return 1 if scans else 0


if __name__ == "__main__":
    sys.exit(main())
