"""Two hostile loads against a running server (docs/PERFORMANCE.md, "Hostile clients").

    python bench/hostile.py hang --port 8000 --connections 4 [--tls]
    python bench/hostile.py bust /ru/events/calendar.ics --port 8000 --seconds 10 --concurrency 4

``hang`` opens connections that send half a request head (or the start of a TLS
handshake) and never finish it, times ``/healthz`` meanwhile, then waits for the server
to drop the first of them. ``bust`` requests ``URL?x=N`` with a new N each time and
reports requests a second and how many were cache hits (``X-Cache``).
"""

from __future__ import annotations

import argparse
import http.client
import socket
import threading
import time

HOST = "127.0.0.1"
HALF_HEAD = b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
TLS_START = bytes.fromhex("16030100c8010000c40303") + b"\x00" * 40


def healthz(port: int) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    conn.close()
    return time.perf_counter() - started


def hang(args) -> None:
    sockets = [socket.create_connection((HOST, args.port)) for _ in range(args.connections)]
    for sock in sockets:
        sock.sendall(TLS_START if args.tls else HALF_HEAD)
    time.sleep(0.5)
    what = "TLS handshakes" if args.tls else "half heads"
    print(f"/healthz with {args.connections} {what} open: {healthz(args.port):.3f} s")
    started = time.perf_counter()
    sockets[0].settimeout(120)
    try:
        answer = sockets[0].recv(100)
        print(f"the first was answered or closed after {time.perf_counter() - started:.1f} s: {answer[:40]!r}")
    except TimeoutError:
        print("the first was still open after 120 s")
    for sock in sockets:
        sock.close()


def bust(args) -> None:
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()
    counter, latencies, caches = [0], [], {}

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, args.port, timeout=120)
        separator = "&" if "?" in args.url else "?"
        while time.monotonic() < stop:
            with lock:
                counter[0] += 1
                n = counter[0]
            started = time.perf_counter()
            conn.request("GET", f"{args.url}{separator}x={n}")
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - started)
                key = f"{response.status} {response.getheader('X-Cache') or 'not cached'}"
                caches[key] = caches.get(key, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    print(
        f"{args.url}?x=N: {len(latencies) / elapsed:.1f} req/s, p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms, {caches}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    hanging = commands.add_parser("hang")
    hanging.add_argument("--connections", type=int, default=4)
    hanging.add_argument("--tls", action="store_true")
    busting = commands.add_parser("bust")
    busting.add_argument("url")
    busting.add_argument("--seconds", type=float, default=10)
    busting.add_argument("--concurrency", type=int, default=4)
    for command in (hanging, busting):
        command.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if args.command == "hang":
        hang(args)
    else:
        bust(args)


if __name__ == "__main__":
    main()
