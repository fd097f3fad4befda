"""gunicorn settings of the production server: ``make serve`` passes this file, and gunicorn
reads it by itself when started from this folder (docs/OPERATIONS.md, "Run").

Threads, not one process per request: each worker's main loop accepts connections and
waits for them to be readable, so slow or idle clients neither block it nor get it
killed, and a thread reads one request's head within a deadline (association/serving.py).
The reverse proxy in front (docs/nginx.conf) buffers requests and responses, so in
production the app only ever talks to it.
"""

import os

wsgi_app = "association.wsgi:application"
worker_class = "association.serving.DeadlineThreadWorker"
# Without REDIS_URL the cache lives in each process (SINGLE_PROCESS_CACHE): one worker only.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1 if os.environ.get("REDIS_URL") else 1))
# Each thread keeps one database connection open (CONN_MAX_AGE): size max_connections for workers × threads.
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# A worker that reports nothing for this long is restarted; with threads it reports between requests
# too, so only a stuck process hits it. Also each read or write of a request's body or response.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections wait in the main loop, not in a thread; they are closed after this.
keepalive = 5
# The request line and headers: what any browser sends, not more (gunicorn's defaults, stated).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# A worker is replaced after this many requests (a slow leak cannot grow for ever). Worker memory
# is flat under load (docs/PERFORMANCE.md); at 10,000 a worker serving cached pages was replaced
# every 20 s, and each replacement drops the keep-alive connections it holds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 20
accesslog = "-"


def on_starting(server) -> None:
    """Refuses several workers on the per-process cache: each would keep its own pages and miss the others' edits."""
    if server.cfg.workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit(
            f"{server.cfg.workers} workers need a shared cache: set REDIS_URL, or run one worker (--workers 1)."
        )
