"""The production server (`make serve`) against slow and garbage connections, and the shipped proxy config.

The server runs on a free loopback port, on the test database, for the tests of this
module (marked ``serve``: about 20 s; ``-m "not serve"`` leaves them out). Every socket
has a timeout, so a regression fails the test instead of hanging it.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
HEADER_TIMEOUT = 3  # the server's REQUEST_HEADER_TIMEOUT here: short, to see it end
TLS_CLIENT_HELLO = bytes.fromhex("160301020001000200") + secrets.token_bytes(200)  # no line end in it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url_of_tests() -> str:
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"] or settings_dict["OPTIONS"].get("host")
    if host.startswith("/"):
        return f"postgresql://{settings_dict['USER']}@/{settings_dict['NAME']}?host={host}"
    password = settings_dict["PASSWORD"]
    return f"postgresql://{settings_dict['USER']}:{password}@{host}:{settings_dict['PORT']}/{settings_dict['NAME']}"


def get(port: int, path: str, timeout: float = 5) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """`make serve` with one worker (its own cache: no REDIS_URL here) of four threads."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with django_db_blocker.unblock():
        database_url = database_url_of_tests()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        REQUEST_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        LOG_LEVEL="WARNING",
    )
    command = ["make", "--no-print-directory", "serve", f"HOST={HOST}", f"PORT={port}", "WORKERS=1", "THREADS=4"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"make serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if get(port, "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"make serve did not answer within 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield port, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def hang(port: int, first_bytes: bytes) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=10)
    sock.sendall(first_bytes)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection (without an answer) within ``seconds``."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.serve
def test_hanging_connections_do_not_stop_the_server_answering(server):
    port, log = server
    partial_head = b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    hanging = [hang(port, partial_head) for _ in range(12)]  # three times the server's threads
    hanging += [socket.create_connection((HOST, port), timeout=10) for _ in range(4)]  # not a byte sent
    hanging += [hang(port, TLS_CLIENT_HELLO) for _ in range(4)]
    try:
        time.sleep(0.5)
        for _attempt in range(3):
            status, seconds = get(port, "/healthz")
            assert status == 200
            assert seconds < 1, f"/healthz took {seconds:.2f} s"
        assert get(port, "/readyz")[0] == 200
    finally:
        for sock in hanging:
            sock.close()
    assert "WORKER TIMEOUT" not in log.read_text()


@pytest.mark.serve
def test_a_head_that_never_ends_is_dropped_at_its_deadline(server):
    port, _log = server
    sock = hang(port, b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    try:
        started = time.monotonic()
        for _second in range(HEADER_TIMEOUT + 2):  # trickling bytes does not extend the deadline
            time.sleep(0.5)
            try:
                sock.sendall(b"X-A: b\r\n")
            except OSError:
                break
        assert closed_within(sock, HEADER_TIMEOUT + 3)
        assert time.monotonic() - started < HEADER_TIMEOUT + 3
    finally:
        sock.close()


@pytest.mark.serve
def test_a_tls_handshake_on_the_plain_port_is_closed_at_once(server):
    port, _log = server
    sock = hang(port, TLS_CLIENT_HELLO)
    try:
        assert closed_within(sock, 1.5)
    finally:
        sock.close()


def raw_exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.serve
def test_keep_alive_and_request_bodies_still_work(server):
    port, _log = server
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        for _request in range(3):  # one connection, three requests
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            assert response.status == 200 and response.read() == b'{"status": "ok"}'
        conn.request("POST", "/ru/", body=b"x" * 200_000, headers={"Content-Type": "application/octet-stream"})
        response = conn.getresponse()
        response.read()
        assert response.status in {403, 405}  # refused by the app (CSRF or method), after reading the head
    finally:
        conn.close()


@pytest.mark.serve
def test_head_answers_carry_no_body_under_gunicorn(server):
    port, _log = server
    for path in [b"/ru/", b"/healthz"]:
        answer = raw_exchange(port, b"HEAD " + path + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        head, _separator, body = answer.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].endswith(b" 200 OK"), head
        assert body == b"", path
    page = raw_exchange(port, b"GET /ru/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").partition(b"\r\n\r\n")[2]
    assert page.startswith(b"<!DOCTYPE html>")


NGINX_CONF = Path(__file__).resolve().parents[2] / "docs" / "nginx.conf"


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx-light)")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is needed for a throwaway certificate")
def test_the_shipped_nginx_configuration_is_valid(tmp_path):
    certificate = ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x", *certificate],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = NGINX_CONF.read_text()
    site = site.replace("/etc/letsencrypt/live/spbaic.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/spbaic.example.org/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_nginx_configuration_buffers_and_limits_requests():
    site = NGINX_CONF.read_text()
    for directive in [
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "client_max_body_size 10m;",
        "large_client_header_buffers 4 8k;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ]:
        assert directive in site, directive
