"""Bounded load test: N keep-alive connections for a fixed time against any running server.

    python bench/load_test.py http://127.0.0.1:8000 [--connections 64] [--duration 60]
        [--database-url postgres://…]   # count pg_stat_activity (default: DATABASE_URL or the embedded one)

Pure asyncio (no dependency). Passes (exit 0) when no request failed — a failure is
a 5xx or 4xx answer, a timeout or a broken connection — and the database holds no
more client connections after the run than after the warm-up (persistent connections
are reused, none leak). Run it against the production server (gunicorn), not
``runserver``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PATHS = [
    "/ru/",
    "/en/partners/",
    "/vi/events/",
    "/ru/events/?year=2024",
    "/en/societies/",
    "/ru/search/?q=%D0%9F%D0%B5%D0%BA%D0%B8%D0%BD",
    "/en/open-data/",
    "/healthz",
    "/readyz",
]


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Reads one response; returns its status and whether the server keeps the connection."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed by the server")
    status = int(status_line.split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


async def worker(number: int, base, paths: list[str], deadline: float, stats: Stats, timeout: float) -> None:
    reader = writer = None
    sent = number
    while time.monotonic() < deadline:
        path = paths[sent % len(paths)]
        sent += 1
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(base.hostname, base.port), timeout)
            request = f"GET {path} HTTP/1.1\r\nHost: {base.netloc}\r\nUser-Agent: spbaic-load-test\r\n\r\n"
            writer.write(request.encode())
            status, keep_alive = await asyncio.wait_for(read_response(reader), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            stats.errors[type(error).__name__] += 1
            keep_alive = False
        else:
            stats.latencies.append(time.monotonic() - started)
            stats.statuses[status] += 1
            if status >= 400:
                stats.errors[f"HTTP {status} {path}"] += 1
        if not keep_alive and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def run_load(base, paths: list[str], connections: int, duration: float, timeout: float) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + duration
    await asyncio.gather(*(worker(n, base, paths, deadline, stats, timeout) for n in range(connections)))
    return stats


def database_url(explicit: str | None) -> str | None:
    if explicit or os.environ.get("DATABASE_URL"):
        return explicit or os.environ["DATABASE_URL"]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        from association.embedded_db import embedded_database_url
    except ImportError:
        return None
    return embedded_database_url()


def open_connections(url: str | None) -> int | None:
    """Client connections to the app's database, this one excluded."""
    if not url:
        return None
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return conn.execute(query).fetchone()[0]


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100)[int(fraction * 100) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000 (plain HTTP)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load before counting connections")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request")
    parser.add_argument("--database-url", help="to count pg_stat_activity; default DATABASE_URL or the embedded one")
    parser.add_argument("--path", action="append", dest="paths", help="a path to request (repeatable)")
    args = parser.parse_args()
    base = urlsplit(args.base_url)
    if base.scheme != "http" or not base.hostname:
        parser.error("base_url must be http://host:port")
    base = base._replace(netloc=f"{base.hostname}:{base.port or 80}")
    paths = args.paths or DEFAULT_PATHS
    db_url = database_url(args.database_url)

    idle = open_connections(db_url)
    asyncio.run(run_load(base, paths, args.connections, args.warmup, args.timeout))
    before = open_connections(db_url)
    started = time.monotonic()
    stats = asyncio.run(run_load(base, paths, args.connections, args.duration, args.timeout))
    elapsed = time.monotonic() - started
    time.sleep(2)  # let the server finish the last responses
    after = open_connections(db_url)

    done = len(stats.latencies)
    print(f"{args.connections} connections, {elapsed:.1f} s against {args.base_url}: {done} responses, ")
    print(f"  {done / elapsed:.1f} requests/s; statuses {dict(sorted(stats.statuses.items()))}")
    if done:
        p50, p95, p99 = (percentile(stats.latencies, f) * 1000 for f in (0.5, 0.95, 0.99))
        print(f"  latency ms: p50 {p50:.0f}, p95 {p95:.0f}, p99 {p99:.0f}, max {max(stats.latencies) * 1000:.0f}")
    print(f"  errors: {sum(stats.errors.values())} {dict(stats.errors) or ''}")
    print(f"  database connections: idle {idle}, after warm-up {before}, after the run {after}")
    grew = before is not None and after is not None and after > before
    if grew:
        print("FAIL: open database connections grew during the run.")
    return 1 if stats.errors or grew or not done else 0


if __name__ == "__main__":
    sys.exit(main())
