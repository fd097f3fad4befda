"""Time, peak memory and queries of one ``send_digests`` run: 10,000 subscribers over 100 selections.

    .venv/bin/python bench/digests.py [--scale 100] [--subscribers 10000] [--selections 100]

Runs against its own database on the local PostgreSQL (``bench_digests_1x`` or
``bench_digests_100x``, built like ``bench/run.py``'s: the seed, plus
``generate_demo_data --scale 99`` for 100×; ``--database-url`` to choose another), with
an aiosmtpd sink on a free loopback port as the mail server. Each run replaces the
subscriptions with fresh ones, all weekly and due, whose last digest was a week ago;
then publishes new events and cancels, postpones and moves some, the way staff do
(one save each, so the history records them), and times one run of the digests.
Peak memory is Python's (tracemalloc) in a second, identical run of its own, since
tracing slows Python down.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SERVER, prepare  # noqa: E402
from tests.subscriptions.smtp import SMTPServer  # noqa: E402

LANGUAGES = ("ru", "en", "vi")


class Sink:
    """Counts what it accepts and keeps nothing, as a mail relay's queue would."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 OK"


def selections(count: int) -> list[str]:
    """``count`` distinct selections people would choose: a country, a partner, a society, a kind, and pairs."""
    from partners.models import Country, Partner
    from societies.models import Society

    rng = random.Random(1)  # noqa: S311 — reproducible test data, not secrets
    countries = list(Country.objects.with_published_partners().exclude(code=None).values_list("code", flat=True))
    partners = list(Partner.objects.published().values_list("slug", flat=True))
    societies = list(Society.objects.published().values_list("slug", flat=True))
    kinds = ["exhibition", "festival", "incoming-delegation", "forum", "concert"]
    found = {"", "when=upcoming"}
    makers = [
        lambda: f"country={rng.choice(countries)}",
        lambda: f"partner={rng.choice(partners)}",
        lambda: f"society={rng.choice(societies)}",
        lambda: f"kind={rng.choice(kinds)}",
        lambda: f"country={rng.choice(countries)}&kind={rng.choice(kinds)}",
        lambda: f"q={rng.choice(['визит', 'фестиваль', 'выставка'])}",
    ]
    while len(found) < count:
        found.add(rng.choice(makers)())
    return sorted(found)[:count]


def subscribe(subscribers: int, chosen: list[str]) -> None:
    from django.utils import timezone

    from subscriptions.models import Delivery, Subscription

    Delivery.objects.all().delete()
    Subscription.objects.all().delete()
    week_ago = timezone.now() - timedelta(days=7, hours=1)
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"reader-{n}@example.org",
                selection=chosen[n % len(chosen)],
                language=LANGUAGES[n % 3],
                frequency="weekly",
                requested_at=week_ago,
                confirmed_at=week_ago,
                covered_until=week_ago,
            )
            for n in range(subscribers)
        ],
        batch_size=2000,
    )


def news(new_events: int, changes: int) -> None:
    """New events on random partners and societies, and existing ones cancelled, postponed or moved."""
    from django.db import transaction

    from events.models import Event
    from partners.models import Partner
    from societies.models import Society

    rng = random.Random(2)  # noqa: S311 — reproducible test data, not secrets
    partners = list(Partner.objects.published().values_list("pk", flat=True))
    societies = list(Society.objects.published().values_list("pk", flat=True))
    kinds = ["exhibition", "festival", "incoming-delegation", "forum", "concert", "other"]
    with transaction.atomic():
        for n in range(new_events):
            event = Event(
                title_ru=f"[демо] Новое мероприятие {n}",
                title_en=f"[demo] New event {n}",
                title_vi=f"[demo] Sự kiện mới {n}",
                kind=rng.choice(kinds),
                source_key=f"demo-digest-{time.time_ns()}-{n}",
            )
            event.start = f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            event.save()
            event.partners.set(rng.sample(partners, 2))
            event.societies.set(rng.sample(societies, 1))
        existing = list(Event.objects.published().order_by("?")[:changes])
        for n, event in enumerate(existing):
            if n % 3 == 0:
                event.status = Event.Status.CANCELLED
            elif n % 3 == 1:
                event.status = Event.Status.POSTPONED
            else:
                event.start = f"{event.start_on.year}"
                event.end = None
            event.save()


def one_run(*, trace: bool) -> dict:
    from django.db import connection

    from subscriptions.services import digest_send

    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        report = digest_send()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    return {"report": report, "seconds": elapsed, "peak": peak, "queries": queries["n"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 (the seed) or 100 (the seed + 99× demo data)")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--selections", type=int, default=100)
    parser.add_argument("--new-events", type=int, default=40)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"{SERVER}/bench_digests_{args.scale}x"

    sink = Sink()
    with SMTPServer(sink) as server:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": url,
            "EMAIL_URL": server.url,
            "SITE_URL": "https://portal.example.org",
            "BENCH": "1",  # installs the demo-data generator for 100×
            "SINGLE_PROCESS_CACHE": "true",  # the digests run in this one process
        }
        env.pop("REDIS_URL", None)
        prepare(url, args.scale - 1, env)
        keys = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "SITE_URL", "SINGLE_PROCESS_CACHE")
        os.environ.update({key: env[key] for key in keys})
        os.environ.update({"LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "association.settings"})
        import django

        django.setup()
        from events.models import Event

        chosen = selections(args.selections)
        results = []
        for trace in (False, True):
            subscribe(args.subscribers, chosen)
            news(args.new_events, args.changes)
            sink.messages = sink.bytes = sink.connections = 0
            results.append({**one_run(trace=trace), "messages": sink.messages, "connections": sink.connections})
            results[-1]["bytes"] = sink.bytes

    timed, traced = results
    report = timed["report"]
    events = Event.objects.count()
    print(
        f"send_digests, {args.scale}× data ({events} events), {args.subscribers} subscribers, {len(chosen)} selections"
    )
    print(
        f"  {report.sent} digests sent ({timed['messages']} received by the sink over {timed['connections']} SMTP "
        f"connections, {timed['bytes'] / 1024 / 1024:.1f} MiB), {report.quiet} with nothing new, "
        f"{report.selections} selection evaluations, {report.failures} failures"
    )
    print(f"  time: {timed['seconds']:.1f} s ({timed['seconds'] / max(report.sent, 1) * 1000:.2f} ms per digest sent)")
    print(f"  peak Python memory (traced run): {traced['peak'] / 1024 / 1024:.1f} MiB")
    print(
        f"  queries: {timed['queries']} in all, {timed['queries'] / args.subscribers:.3f} per subscriber "
        f"(traced run: {traced['queries']})"
    )


if __name__ == "__main__":
    main()
