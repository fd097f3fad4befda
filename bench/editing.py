"""The editing workload: the page cache's hit ratio and latency while staff keep editing.

    .venv/bin/python bench/editing.py [--seconds 60] [--connections 32] [--every 5]
        [--database-url URL] [--replica-url URL]

The production server (gunicorn of ``gunicorn.conf.py``, DEBUG off, Redis shared by its
workers under a prefix of the run's own) on the 1× data set (``BENCH_DB_1X``, as
``bench/run.py``); ``wrk`` with ``bench/editing.lua`` rotates ``--connections``
connections over every published partner and event page in three languages (≈ 900 URLs
at 1×) for ``--seconds``, while a separate process saves one event (its English title,
alternately) every ``--every`` seconds through the ORM, as an editor would; every page is
requested once before (a cache in service, not a cold start). It reports
requests/s, p50 and p99, errors and non-2xx answers, and the hit ratio counted from
``X-Cache``. With ``--replica-url`` the server reads from that streaming standby too, and
the primary's share of the transactions of the run is reported (``pg_stat_database``:
each autocommit query is one transaction; the editor's saves are counted apart).

Run it against the code before and after a change of the page cache for the comparison
of docs/PERFORMANCE.md (the script counts ``X-Cache`` in either case). It needs ``wrk``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DATASETS, HOST, PORT, PY, gunicorn, prepare  # noqa: E402

LANGUAGES = ("ru", "en", "vi")

EDITOR = """
import os, time
from events.models import Event
seconds, every = float(os.environ["EDIT_SECONDS"]), float(os.environ["EDIT_EVERY"])
event = Event.objects.published().order_by("-pk").first()
title, saves, deadline = event.title_en, 0, time.monotonic() + seconds
while time.monotonic() < deadline:
    time.sleep(every)
    event.title_en = title if saves % 2 else f"{title} (edited)"
    event.save()
    saves += 1
event.title_en = title
event.save()
print(saves)
"""


def rotation(url: str) -> list[str]:
    """Every published partner and event page, in each language."""
    with psycopg.connect(url) as db:
        partners = [row[0] for row in db.execute("SELECT slug FROM partners_partner WHERE is_published ORDER BY id")]
        events = [row[0] for row in db.execute("SELECT id FROM events_event WHERE is_published ORDER BY id")]
    pages = [f"partners/{slug}/" for slug in partners] + [f"events/{pk}/" for pk in events]
    return [f"/{language}/{page}" for page in pages for language in LANGUAGES]


def warm(paths: list[str], connections: int) -> None:
    """Every page once before the run: the hit ratio is that of a cache in service, not of a cold start."""

    def fetch(path: str) -> None:
        with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(fetch, paths))


def transactions(url: str) -> int:
    with psycopg.connect(url) as db:
        name = url.rsplit("/", 1)[1].split("?")[0]
        return db.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [name]).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--every", type=float, default=5.0, help="seconds between two saves of the event (0: no editor, reads only)"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default=DATASETS["1×"][0])
    parser.add_argument("--replica-url", default="", help="a streaming standby of --database-url")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/editing.py needs wrk (apt-get install wrk)")

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.urandom(32).hex() + os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH": "1",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_CACHE_SECONDS": "600",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "CACHE_KEY_PREFIX": f"bench-editing-{os.getpid()}",
    }
    if args.replica_url:
        env["DATABASE_REPLICA_URLS"] = args.replica_url
    prepare(args.database_url, 0, {**env, "DEBUG": "true"})
    static = {**env, "DATABASE_URL": args.database_url}
    subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=static, check=True)
    listing = ROOT / "var" / "bench-editing-paths.txt"
    listing.parent.mkdir(exist_ok=True)
    paths = rotation(args.database_url)
    listing.write_text("\n".join(paths) + "\n")
    print(f"# {len(paths)} pages, {args.connections} connections, {args.seconds} s, one save every {args.every} s")
    print(f"# load average before: {os.getloadavg()[0]:.1f}")

    with gunicorn(args.database_url, True, args, env):
        warm(paths, min(args.connections, 8))
        counted = [transactions(url) for url in (args.database_url, args.replica_url) if url]
        editor = None
        if args.every > 0:
            editor = subprocess.Popen(
                [PY, "manage.py", "shell", "-c", EDITOR],
                cwd=ROOT,
                env={**static, "EDIT_SECONDS": str(args.seconds), "EDIT_EVERY": str(args.every)},
                stdout=subprocess.PIPE,
                text=True,
            )
        command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s"]
        command += ["-s", str(ROOT / "bench" / "editing.lua"), f"http://{HOST}:{PORT}", "--", str(listing)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        saves = int(editor.communicate(timeout=args.seconds + 60)[0].strip().splitlines()[-1]) if editor else 0
        after = [transactions(url) for url in (args.database_url, args.replica_url) if url]
    result = json.loads(next(line[5:] for line in output.splitlines() if line.startswith("JSON ")))
    answered = result["hits"] + result["misses"]
    print(
        f"requests/s {result['requests'] / (result['duration_us'] / 1e6):.0f} · "
        f"hit ratio {result['hits'] / answered if answered else 0:.3f} ({result['hits']} HIT, {result['misses']} MISS, "
        f"{result['unmarked']} unmarked) · p50 {result['p50'] / 1000:.1f} ms · p99 {result['p99'] / 1000:.1f} ms · "
        f"errors {result['errors']} · non-2xx {result['non2xx']} · {saves} saves"
    )
    if args.replica_url:
        primary, replica = after[0] - counted[0], after[1] - counted[1]
        print(
            f"transactions: primary {primary} (with the editor's), replica {replica}: "
            f"primary share {primary / max(primary + replica, 1):.3f}"
        )
    print(f"# load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
