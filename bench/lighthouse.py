"""Lighthouse (mobile preset) of the main public pages, served by the production server.

    make lighthouse                  # or: .venv/bin/python bench/lighthouse.py [--runs 3] [--all-languages]

Installs the pinned Lighthouse (bench/lighthouse/package-lock.json, ``npm ci``) on
first use, compiles the translations, collects static files, starts gunicorn with
production settings (DEBUG off, whitenoise, throwaway SECRET_KEY) on a free port over
the seeded 1× database (BENCH_DB_1X; waits until the seed is in), warms each page,
then runs Lighthouse with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium)
on the home page, the directory, the partner page with the most events and the
events list in Russian, and on the home page in English and Vietnamese (every page in every
language with --all-languages; any other with --page PATH). With --runs N each page
is measured N times and the run with the median performance score is reported.

Prints one Markdown table: performance score, FCP, LCP, TBT, CLS, the transfer size
of the document, CSS and JS (the first-view budget is 150 KB), the number of
requests, and the accessibility, best-practices and SEO scores. The JSON reports are
kept in var/lighthouse/. Exits 1 when a page misses a target (performance below 95,
first view above 150 KB).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
NPM_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "var" / "lighthouse"
HOST = "127.0.0.1"
DATABASE = os.environ.get("BENCH_DB_1X", "postgres://postgres@127.0.0.1:5432/bench_1x")
SEEDED_PARTNERS = 64
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = "performance,accessibility,best-practices,seo"
FIRST_VIEW_TYPES = {"Document", "Stylesheet", "Script"}
ATTEMPTS = 3
MIN_PERFORMANCE = 95
COLUMNS = ["page", "path", "perf", "FCP ms", "LCP ms", "TBT ms", "CLS", "first view KB", "all KB", "requests"]
COLUMNS += ["a11y", "BP", "SEO"]
MAX_FIRST_VIEW_BYTES = 150 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_seed(timeout: int) -> None:
    """The 1× database may still be loading: poll until every seeded partner is in."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(DATABASE, connect_timeout=5) as db:
                count = db.execute("SELECT count(*) FROM partners_partner").fetchone()[0]
            if count >= SEEDED_PARTNERS:
                return
            state = f"{count} of {SEEDED_PARTNERS} partners"
        except psycopg.Error as error:
            state = str(error).splitlines()[0]
        if time.monotonic() > deadline:
            raise SystemExit(f"{DATABASE} is not ready after {timeout} s ({state})")
        print(f"# waiting for {DATABASE}: {state}", file=sys.stderr, flush=True)
        time.sleep(10)


def page_paths(all_languages: bool) -> dict[str, str]:
    with psycopg.connect(DATABASE) as db:
        (slug,) = db.execute(
            "SELECT p.slug FROM partners_partner p LEFT JOIN events_event_partners ep ON ep.partner_id = p.id "
            "WHERE p.is_published GROUP BY p.id ORDER BY count(ep.id) DESC, p.slug LIMIT 1"
        ).fetchone()
    pages = {
        "home": "/{}/",
        "directory": "/{}/partners/",
        "partner page": f"/{{}}/partners/{slug}/",
        "events list": "/{}/events/",
    }
    paths = {f"{name} ru": path.format("ru") for name, path in pages.items()}
    for lang in ("en", "vi"):
        for name, path in pages.items():
            if all_languages or name == "home":
                paths[f"{name} {lang}"] = path.format(lang)
    return paths


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NPM_DIR, check=True)


def compile_messages() -> None:
    """As `make` does: the .mo files are not in git."""
    for po in ROOT.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            lang = po.parent.parent.name
            command = [str(ROOT / ".venv" / "bin" / "pybabel"), "compile", "--domain", "django", "--directory"]
            subprocess.run([*command, "locale", "--locale", lang], cwd=ROOT, check=True, capture_output=True)


def wait_until_up(process: subprocess.Popen, base: str) -> None:
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            with urllib.request.urlopen(f"{base}/ru/", timeout=5) as response:  # noqa: S310 (local server)
                response.read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def warm(url: str) -> None:
    """Fill the caches, the connection pool and the template cache; Lighthouse refuses non-200 pages."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local server)
            response.read()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"warm-up of {url} answered {error.code}, not 200") from None


def lighthouse(url: str, report: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet"]
    command += [f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={CATEGORIES}"]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(1, ATTEMPTS + 1):
        # On a busy machine Chromium's trace is now and then incomplete (NO_NAVSTART, NO_FCP): try again.
        if subprocess.run(command, env=env).returncode == 0:
            return json.loads(report.read_text())
        print(f"# Lighthouse failed on {url} (attempt {attempt} of {ATTEMPTS})", file=sys.stderr, flush=True)
    raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")


def summary(report: dict) -> dict:
    audits, categories = report["audits"], report["categories"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "first_view": sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") in FIRST_VIEW_TYPES),
        "total": sum(r.get("transferSize", 0) for r in requests),
        "requests": len(requests),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best_practices": round(categories["best-practices"]["score"] * 100),
        "seo": round(categories["seo"]["score"] * 100),
        "failed": [
            audit_id
            for category in categories.values()
            for ref in category["auditRefs"]
            if ref["weight"] and audits[(audit_id := ref["id"])]["score"] is not None
            if audits[audit_id]["score"] < 0.9
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported (default 1)")
    parser.add_argument("--all-languages", action="store_true", help="every page in ru, en and vi")
    parser.add_argument("--page", action="append", default=[], metavar="PATH", help="another path (repeatable)")
    parser.add_argument("--wait", type=int, default=1800, help="seconds to wait for the seeded database")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    install_lighthouse()
    compile_messages()
    wait_for_seed(args.wait)
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE,
        "LOG_LEVEL": "WARNING",
        "SINGLE_PROCESS_CACHE": "true",  # one worker, its own cache: enough for one page load at a time
    }
    env.pop("REDIS_URL", None)
    subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    paths = page_paths(args.all_languages) | {path: path for path in args.page}
    command = [GUNICORN, "association.wsgi", "--bind", f"{HOST}:{port}", "--workers", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    try:
        wait_until_up(process, base)
        for name, path in paths.items():
            warm(base + path)
            runs = []
            for run in range(args.runs):
                report = OUT / f"{re.sub(r'[^a-z0-9]+', '-', name).strip('-')}-{run + 1}.json"
                runs.append(summary(lighthouse(base + path, report)))
            median = statistics.median_low(r["performance"] for r in runs)
            results[name] = (path, next(r for r in runs if r["performance"] == median))
    finally:
        process.terminate()
        process.wait(timeout=30)

    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# Lighthouse {version}")
    print(f"# mobile preset, simulated throttling, {args.runs} run(s) per page, load average {load_before:.1f}")
    print(f"# first view = transfer bytes of document + CSS + JS; reports in {OUT.relative_to(ROOT)}/\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---:|" * (len(COLUMNS) - 2))
    missed = []
    for name, (path, r) in results.items():
        print(
            f"| {name} | {path} | {r['performance']} | {r['fcp']:.0f} | {r['lcp']:.0f} | {r['tbt']:.0f} "
            f"| {r['cls']:.3f} | {r['first_view'] / 1024:.1f} | {r['total'] / 1024:.1f} | {r['requests']} "
            f"| {r['accessibility']} | {r['best_practices']} | {r['seo']} |"
        )
        if r["performance"] < MIN_PERFORMANCE or r["first_view"] > MAX_FIRST_VIEW_BYTES:
            missed.append(name)
        if r["failed"]:
            print(f"# {name}: audits below 0.9: {', '.join(r['failed'])}", file=sys.stderr)
    if missed:
        targets = f"performance ≥ {MIN_PERFORMANCE}, first view ≤ {MAX_FIRST_VIEW_BYTES // 1024} KB"
        raise SystemExit(f"\ntargets missed ({targets}): {', '.join(missed)}")


if __name__ == "__main__":
    main()
