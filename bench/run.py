"""Load test of the production server (gunicorn + whitenoise, DEBUG off) at 1× and 100× data.

    make bench                      # or: .venv/bin/python bench/run.py [--seconds 5] [--connections 4]
    .venv/bin/python bench/run.py --cache on --pages "home,event page" --datasets 1× --no-import

For each data set and for the page cache off and on, it starts gunicorn on
127.0.0.1 with production settings, warms each page once, then loads it for a
fixed time at a fixed concurrency with ``wrk`` (``apt-get install wrk``; a small
Python load generator otherwise) and reports requests/s, p50/p95/p99 latency and
the ratio to ``/bench/ceiling/`` — the cheapest Django response of the same server.
Worker memory (RSS) is sampled before and after each run, and every 10 s of a 60 s
load cycling through many different pages of the last data set (``bench/mix.lua``).

Data sets are separate PostgreSQL databases (BENCH_DB_1X, BENCH_DB_100X; default:
the local server at 127.0.0.1:5432), created and filled on first use: the seed, plus
``generate_demo_data --scale 99`` for 100×. The development data is never touched.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8200"))
SERVER = "postgres://postgres@127.0.0.1:5432"
DATASETS = {
    "1×": (os.environ.get("BENCH_DB_1X", f"{SERVER}/bench_1x"), 0),
    "100×": (os.environ.get("BENCH_DB_100X", f"{SERVER}/bench_100x"), 99),
}


def page_urls(url: str) -> dict[str, str]:
    with psycopg.connect(url) as db:
        partner = db.execute("SELECT slug FROM partners_partner WHERE is_published ORDER BY slug LIMIT 1").fetchone()
        event = db.execute("SELECT id FROM events_event WHERE is_published ORDER BY id LIMIT 1").fetchone()
    return {
        "ceiling": "/bench/ceiling/",
        "home": "/ru/",
        "partner directory": "/ru/partners/",
        "partner page": f"/ru/partners/{partner[0]}/",
        "events list": "/ru/events/",
        "events filtered": "/ru/events/?year=2024&kind=incoming-delegation",
        "event page": f"/ru/events/{event[0]}/",
        "search": "/ru/search/?q=" + quote("визит"),
        "search: inflected name": "/ru/search/?q=" + quote("Шанхая"),
        "search: a typo": "/en/search/?q=Shanghia",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(url: str, scale: int, env: dict) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
    env = {**env, "DATABASE_URL": url}
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_seed", "--if-empty")
    with psycopg.connect(url) as db:
        demo = db.execute("SELECT count(*) FROM partners_partner WHERE slug LIKE 'demo-%%'").fetchone()[0]
    generate = bool(scale) and demo != 64 * scale
    if generate:
        manage(env, "generate_demo_data", "--scale", str(scale), "--seed", "1")
    if generate or not scale:  # the seed alone is vacuumed in a second; it was measured unplanned before
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE")  # fresh statistics and visibility map, as a database in service has


def worker_rss(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) // 1024)
    return sizes


def wait_until_up(process: subprocess.Popen) -> None:
    for _ in range(120):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/bench/ceiling/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def load_wrk(path: str, seconds: int, connections: int) -> dict:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "report.lua"), f"http://{HOST}:{PORT}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    data = json.loads(next(line[5:] for line in output.splitlines() if line.startswith("JSON ")))
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "errors": data["errors"] + data["non2xx"],
    }


def load_python(path: str, seconds: int, connections: int) -> dict:
    """Fallback without wrk: ``connections`` threads with keep-alive for ``seconds``."""
    latencies, errors, deadline = [], [0], time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            errors[0] += response.status != 200

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / seconds, "p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "errors": errors[0]}


@contextmanager
def gunicorn(url: str, cached: bool, args, env: dict):
    """The production server on the data set ``url``, page cache on or off, stopped on exit."""
    env = {**env, "DATABASE_URL": url, "PUBLIC_CACHE_SECONDS": "600" if cached else "0"}
    command = [GUNICORN, "association.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", str(args.workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def serve_and_measure(url: str, cached: bool, args, env: dict) -> tuple[dict, dict]:
    results = {}
    with gunicorn(url, cached, args, env) as process:
        load = load_wrk if shutil.which("wrk") else load_python
        rss_before = worker_rss(process.pid)
        for page, path in page_urls(url).items():
            if args.pages and page != "ceiling" and page not in args.pages:
                continue
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            conn.request("GET", path)  # warm: fills the cache, the connection pool and the template cache
            status = conn.getresponse().status
            if status != 200:
                raise SystemExit(f"warm-up of {path} answered {status}, not 200")
            # Best of the rounds: keep-alive connections stay with the worker that accepted them, and a
            # round whose connections all landed on one worker measures one core, not the machine.
            rounds = [load(path, args.seconds, args.connections) for _ in range(args.rounds)]
            results[page] = max(rounds, key=lambda r: r["rps"])
        memory = {"before": rss_before, "after": worker_rss(process.pid)}
    return results, memory


def mixed_paths(url: str) -> list[str]:
    """Many different public pages in three languages: what a worker meets in a long run."""
    with psycopg.connect(url) as db:
        partners = [
            row[0]
            for row in db.execute("SELECT slug FROM partners_partner WHERE is_published ORDER BY id DESC LIMIT 300")
        ]
        events = [
            row[0] for row in db.execute("SELECT id FROM events_event WHERE is_published ORDER BY id DESC LIMIT 300")
        ]
        countries = [row[0] for row in db.execute("SELECT code FROM partners_country ORDER BY code")]
    words = ["визит", "делегация", "фестиваль", "Hanoi", "exhibition", "hợp tác", "Минск", "2024"]
    paths = []
    for i, language in enumerate(["ru", "en", "vi"] * 100):
        paths.append(f"/{language}/partners/{partners[i % len(partners)]}/")
        paths.append(f"/{language}/events/{events[i % len(events)]}/")
        paths.append(f"/{language}/events/?country={countries[i % len(countries)]}&page={1 + i % 3}")
        paths.append(f"/{language}/search/?q={quote(words[i % len(words)])}")
        if i % 10 == 0:
            paths += [f"/{language}/", f"/{language}/partners/?page={1 + i % 5}", f"/{language}/societies/"]
    return paths


def memory_over_time(url: str, args, env: dict, seconds: int = 60, every: int = 10) -> tuple[list, dict]:
    """Worker RSS every ``every`` s of a ``seconds`` s mixed load (page cache off), after a 10 s warm-up."""
    listing = ROOT / "var" / "bench-paths.txt"
    listing.parent.mkdir(exist_ok=True)
    listing.write_text("\n".join(mixed_paths(url)) + "\n")

    def mix(duration: int) -> dict:
        command = ["wrk", "-t2", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s"]
        command += ["-s", str(ROOT / "bench" / "mix.lua"), f"http://{HOST}:{PORT}", "--", str(listing)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return json.loads(next(line[5:] for line in output.splitlines() if line.startswith("JSON ")))

    with gunicorn(url, False, args, env) as process:
        mix(10)
        samples = [(0, worker_rss(process.pid))]
        result = {}
        runner = threading.Thread(target=lambda: result.update(mix(seconds)))
        runner.start()
        for elapsed in range(every, seconds + 1, every):
            time.sleep(every)
            samples.append((elapsed, worker_rss(process.pid)))
        runner.join()
    return samples, result


def report_import_seconds(env: dict) -> str:
    """bench/report_import.py builds its own countries: it needs a database without the seed."""
    url = os.environ.get("BENCH_DB_IMPORT", f"{SERVER}/bench_import")
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
    output = subprocess.run(
        [PY, "bench/report_import.py", "1"],
        cwd=ROOT,
        env={**env, "DEBUG": "true", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return output.splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="load duration per page (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page, the best one counts (default 3)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--datasets", default="1×,100×", help="which data sets (default both)")
    parser.add_argument(
        "--memory-seconds", type=int, default=60, help="mixed load on the last data set, RSS sampled (0: skip)"
    )
    parser.add_argument("--pages", type=lambda value: value.split(","), default=[], help="only these (and the ceiling)")
    parser.add_argument("--cache", choices=["off", "on", "both"], default="both", help="page cache off, on or both")
    parser.add_argument("--no-import", action="store_true", help="skip the report import's timing")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH": "1",
        "LOG_LEVEL": "WARNING",
    }
    # Several workers share one cache, as in production: Redis (REDIS_URL, by default the local
    # server), under a prefix of this run's own so that nothing else in it is read or overwritten.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env["CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}"
    manage({**env, "DATABASE_URL": DATASETS["1×"][0]}, "collectstatic", "--no-input", "--verbosity", "0")
    tool = "wrk" if shutil.which("wrk") else "python load generator"
    print(f"# {platform.node()} · {os.cpu_count()} CPUs · {platform.platform()} · Python {platform.python_version()}")
    print(
        f"# {tool}, {args.connections} connections, best of {args.rounds} rounds of {args.seconds} s per page, "
        f"gunicorn {args.workers} workers of gunicorn.conf.py"
    )
    print(f"# load average before: {os.getloadavg()[0]:.1f}\n")
    print("| data | cache | page | req/s | ratio to ceiling | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    memory_lines = []
    for name in args.datasets.split(","):
        url, scale = DATASETS[name]
        prepare(url, scale, {**env, "DEBUG": "true"})
        for cached in {"off": (False,), "on": (True,), "both": (False, True)}[args.cache]:
            results, memory = serve_and_measure(url, cached, args, env)
            ceiling = results["ceiling"]["rps"]
            for page, r in results.items():
                print(
                    f"| {name} | {'on' if cached else 'off'} | {page} | {r['rps']:.0f} | {r['rps'] / ceiling:.2f} "
                    f"| {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} |",
                    flush=True,
                )
            memory_lines.append(
                f"{name}, cache {'on' if cached else 'off'}: worker RSS {memory['before']} MiB before, "
                f"{memory['after']} MiB after {len(results) * args.seconds} s of load"
            )
    print("\n" + "\n".join(memory_lines))
    if args.memory_seconds and shutil.which("wrk"):
        name = args.datasets.split(",")[-1]
        samples, result = memory_over_time(DATASETS[name][0], args, env, seconds=args.memory_seconds)
        print(
            f"\n{name}, cache off, {result['requests']} requests over {args.memory_seconds} s of mixed pages "
            f"({result['errors'] + result['non2xx']} errors), worker RSS in MiB:"
        )
        for elapsed, sizes in samples:
            print(f"  {elapsed:3d} s: {sizes}")
    if not args.no_import:
        print(f"\nReport import: {report_import_seconds(env)}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
