"""gunicorn's threaded worker, reading each request's head in its main loop, within a deadline.

gunicorn's ``gthread`` worker waits for connections to become readable in its main loop,
then hands each one to a thread, which reads the request line and headers with blocking
reads. A client that sends part of a head and stalls, or bytes that never make a request
line (a TLS handshake on the plain port), holds that thread for as long as it likes; a
few such clients hold them all. This worker:

- reads the head in the main loop, without blocking, as bytes arrive; only a complete
  head (or one too long to keep buffering) goes to a thread, so stalled clients cost a
  socket, never a thread, and the main loop keeps reporting to the arbiter (no WORKER
  TIMEOUT);
- gives every head ``REQUEST_HEADER_TIMEOUT`` seconds in all (10 by default) from the
  moment the connection opens or a kept-alive one speaks again, however the bytes
  trickle in, then closes the connection without an answer;
- closes a TLS handshake at once.

The body and the response then have gunicorn's ``timeout`` for each read or write. The
reverse proxy of docs/OPERATIONS.md buffers whole requests, so behind it this is a
second line of defence; it is the first when the server is reached directly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import time
from collections import deque
from functools import partial

from gunicorn.http.unreader import SocketUnreader
from gunicorn.workers.gthread import TConn, ThreadWorker

HEADER_TIMEOUT = float(os.environ.get("REQUEST_HEADER_TIMEOUT", 10))
#: What the main loop buffers of a head before handing it to a thread anyway (which then
#: reads the rest within the same deadline, and answers 400 beyond gunicorn's limits).
HEAD_BUFFER = 64 * 1024
#: The first bytes of a TLS record carrying a handshake: TLS spoken to the plain-HTTP port.
TLS_HANDSHAKE = b"\x16\x03"


class HeadDeadlineUnreader(SocketUnreader):
    """Reads the socket; while a head is awaited, a missed deadline reads as the end of the stream.

    The parser takes an empty read for a client that went away and closes the connection
    quietly (a debug line, no traceback, no answer).
    """

    deadline: float | None = None

    def chunk(self) -> bytes:
        if self.deadline is None:
            return super().chunk()
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return b""
        self.sock.settimeout(remaining)
        try:
            return super().chunk()
        except TimeoutError:
            return b""


class DeadlineThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.waiting = deque()  # (deadline, connection) in the order the deadlines fall

    def accept(self, server, listener):
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        conn = TConn(self.cfg, sock, client, server)
        self.nr_conns += 1
        self.await_head(conn)
        with self._lock:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def await_head(self, conn) -> None:
        conn.head = bytearray()
        conn.head_deadline = time.monotonic() + HEADER_TIMEOUT
        self.waiting.append((conn.head_deadline, conn))

    def on_client_socket_readable(self, conn, client):
        """Bytes of a head arrived: keep them, and hand the connection to a thread once the head is whole."""
        with self._lock:
            self.poller.unregister(client)
            if getattr(conn, "head_deadline", None) is None:  # a kept-alive connection speaks again
                try:
                    self._keep.remove(conn)
                except ValueError:  # closed for idling meanwhile
                    return
                self.await_head(conn)
        try:
            data = conn.sock.recv(HEAD_BUFFER)
        except BlockingIOError:
            data = None
        except OSError:
            data = b""
        if data == b"" or (not conn.head and data and data.startswith(TLS_HANDSHAKE)):
            self.drop(conn)
            return
        if data:
            conn.head += data
        if b"\r\n\r\n" in conn.head or len(conn.head) >= HEAD_BUFFER:
            self.enqueue_req(conn)
            return
        with self._lock:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def enqueue_req(self, conn):
        """A thread parses the head (already read) and answers, within the head's deadline."""
        received, deadline = bytes(conn.head), conn.head_deadline
        conn.head, conn.head_deadline = bytearray(), None
        conn.init()
        if not isinstance(conn.parser.unreader, HeadDeadlineUnreader):
            conn.parser.unreader = HeadDeadlineUnreader(conn.sock)
        conn.parser.unreader.unread(received)
        conn.parser.unreader.deadline = deadline
        future = self.tpool.submit(self.handle, conn)
        self._wrap_future(future, conn)

    def handle_request(self, req, conn):
        """The head is in: the body and the response get gunicorn's per-operation ``timeout``."""
        conn.parser.unreader.deadline = None
        conn.sock.settimeout(self.cfg.timeout)
        return super().handle_request(req, conn)

    def murder_keepalived(self):
        """Runs on every turn of the main loop: idle kept-alive connections, and heads past their deadline."""
        super().murder_keepalived()
        now = time.monotonic()
        while self.waiting and self.waiting[0][0] <= now:
            deadline, conn = self.waiting.popleft()
            if getattr(conn, "head_deadline", None) == deadline:  # still waiting for that head
                with self._lock, contextlib.suppress(KeyError, ValueError, OSError):
                    self.poller.unregister(conn.sock)
                self.drop(conn)

    def drop(self, conn) -> None:
        conn.head, conn.head_deadline = bytearray(), None
        self.nr_conns -= 1
        conn.close()
