"""Where the time of an uncached public page goes: a pyinstrument profile of each main page, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100x .venv/bin/python bench/profile.py [--repeat 20]

Production settings (DEBUG off, the page cache off, derived values cached as in production);
each page is requested once to warm the template cache and the derived values, then
``--repeat`` times under the profiler through Django's test client (no network, no
concurrency). For each page it prints the wall time per request and how it splits between
the database (the driver and Django's backend), the ORM (building queries and model
instances), templates (Django's engine: parsing is cached, so this is rendering, tags and
filters), translation lookups, and everything else (views, middleware, our helpers).
``--tree PAGE`` prints pyinstrument's call tree of one page as well.

Time is attributed to the innermost frame of a category on the sample's stack, so a
query made from a template tag counts as database time, not template time.
"""

import argparse
import os
import secrets
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
os.environ.update(
    DEBUG="false",
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="false",
    PUBLIC_CACHE_SECONDS="0",
    LOG_LEVEL="WARNING",
)
# One process: its local-memory cache is the shared cache, unless REDIS_URL names one.
os.environ.setdefault("SINGLE_PROCESS_CACHE", "true")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402
from pyinstrument.frame import Frame  # noqa: E402

from events.models import Event  # noqa: E402
from partners.models import Partner  # noqa: E402

# Checked in this order on each frame's file path, innermost frame first.
CATEGORIES = (
    ("database", ("/psycopg/", "/django/db/backends/")),
    ("ORM", ("/django/db/models/",)),
    ("templates", ("/django/template/", "/templatetags/")),
    ("translation", ("/django/utils/translation/", "/gettext.py", "/modeltranslation/")),
)


def pages() -> dict[str, str]:
    partner = Partner.objects.published().filter(events__in=Event.objects.published()).order_by("slug").first()
    event = Event.objects.published().order_by("pk").first()
    return {
        "home": "/ru/",
        "partner directory": "/ru/partners/",
        "partner page": f"/ru/partners/{partner.slug}/",
        "events list": "/ru/events/",
        "event page": f"/ru/events/{event.pk}/",
        "search": "/ru/search/?q=визит",
    }


def category(stack: list[Frame]) -> str:
    for frame in reversed(stack):
        path = frame.file_path or ""
        for name, markers in CATEGORIES:
            if any(marker in path for marker in markers):
                return name
    return "other"


def breakdown(root: Frame) -> Counter:
    """Self time of every frame, summed by the category of its innermost categorised ancestor."""
    totals: Counter = Counter()

    def walk(frame: Frame, stack: list[Frame]) -> None:
        stack.append(frame)
        own = frame.time - sum(child.time for child in frame.children)
        if own > 0:
            totals[category(stack)] += own
        for child in frame.children:
            walk(child, stack)
        stack.pop()

    walk(root, [])
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tree", help="print the call tree of this page")
    args = parser.parse_args()
    client = Client()
    names = [name for name, _markers in CATEGORIES] + ["other"]
    print("| page | ms per request | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for page, path in pages().items():
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.repeat):
                client.get(path)
        session = profiler.last_session
        totals = breakdown(session.root_frame())
        whole = sum(totals.values()) or 1
        shares = " | ".join(f"{totals[name] / whole:.0%}" for name in names)
        print(f"| {page} | {session.duration * 1000 / args.repeat:.1f} | {shares} |", flush=True)
        if args.tree == page:
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
