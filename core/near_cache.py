"""What each process keeps of the shared cache, told of every change by Redis.

A page-cache hit with Redis alone costs two round trips (the page, then its tags' versions):
about half of what the cheapest response of the same server costs. Pages and versions
change seldom and are read all the time, so each process keeps a copy of what it read
(``Mirror``) and answers from it, with no round trip, for as long as it is told of every change:

- every write of a kept key, by any process, is followed by a message on a Redis channel
  naming the keys written (``ResilientRedisCache`` sends it); each process has a thread
  listening there (``Listener``) that drops those keys from its copy (a process's own
  messages are skipped: its writes drop their keys from its copy at once);
- the copy answers only while that thread is subscribed: before it is, after its connection
  drops and until it is subscribed again, every read goes to Redis, and the copy is emptied
  both when the connection drops and when it comes back (what changed meanwhile was not heard);
- a value read from Redis is kept only if no message about its key arrived while it was
  being read (otherwise the copy could keep a value older than the message that dropped it);
- a process's own writes drop its copy's keys right after they reach Redis, so what it
  wrote it reads back, and a read of its own that began before the write is not kept;
- a kept value is used for ``seconds`` at most (a minute by default): a message lost in a
  way the thread could not notice costs a stale value for that long, no more;
- the copy holds at most ``max_bytes`` of values, the least recently read go first.

Another process sees a change once its thread has read the message: typically well under a
millisecond after the write, a few milliseconds when every thread of that process is busy.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

SEPARATOR = b"\n"
#: the message that drops everything (the cache was cleared)
ALL = b"*"
#: the sender of a process that keeps no copy (it hears nothing)
NOBODY = b"-"


def message(sender: bytes, keys: Iterable[str | bytes]) -> bytes:
    """A message naming ``keys``, ``sender`` first: a process skips its own (its writes dropped their keys at once)."""
    return SEPARATOR.join([sender, *(key if isinstance(key, bytes) else key.encode() for key in keys)])


class Mirror:
    """A bounded, expiring copy of some keys' raw values, used only while ``live``."""

    def __init__(self, *, max_bytes: int, seconds: float) -> None:
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.live = False
        #: this process's copy in the messages it sends (new in a forked process)
        self.sender = uuid.uuid4().hex.encode()
        #: messages heard since the process started
        self.heard = 0
        #: key → (raw value, the decoded value when it is shared, expiry)
        self._values: OrderedDict[str, tuple[bytes, Any, float]] = OrderedDict()
        self._size = 0
        #: key → the read in progress that may keep it (dropped by a message about the key)
        self._pending: dict[str, object] = {}
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return self._size

    def get_many(self, keys: Iterable[str]) -> dict[str, tuple[bytes, Any]]:
        """What the copy holds of ``keys``, raw and decoded if kept so (nothing unless live)."""
        if not self.live:
            return {}
        now, found = time.monotonic(), {}
        with self._lock:
            for key in keys:
                kept = self._values.get(key)
                if kept is None:
                    continue
                if kept[2] < now:
                    self._forget(key)
                    continue
                self._values.move_to_end(key)
                found[key] = kept[:2]
        return found

    def begin(self, keys: Iterable[str]) -> object | None:
        """Marks a read from Redis of ``keys`` as started; ``keep`` with the same token afterwards."""
        if not self.live:
            return None
        token = object()
        with self._lock:
            for key in keys:
                self._pending[key] = token
        return token

    def keep(
        self, token: object | None, keys: Iterable[str], values: dict[str, bytes], decoded: dict[str, Any] | None = None
    ) -> None:
        """Keeps what was read since ``begin``, for each key no message has dropped meanwhile.

        ``decoded``: values every reader may share as they are (never changed once read), kept decoded.
        """
        decoded = decoded or {}
        if token is None:
            return
        expires = time.monotonic() + self.seconds
        with self._lock:
            for key in keys:
                if self._pending.get(key) is not token:
                    continue
                del self._pending[key]
                value = values.get(key)
                if value is None or len(value) > self.max_bytes:
                    continue
                self._forget(key)
                self._values[key] = (value, decoded.get(key), expires)
                self._size += len(value)
            while self._size > self.max_bytes:
                self._forget(next(iter(self._values)))

    def drop(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._forget(key)
                self._pending.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._pending.clear()
            self._size = 0

    def _forget(self, key: str) -> None:
        kept = self._values.pop(key, None)
        if kept is not None:
            self._size -= len(kept[0])


class Listener:
    """The thread that keeps a ``Mirror`` told of changes: started in each process at its first use.

    ``connect()`` returns a ``redis.Redis`` for the subscription, one that does not retry on
    its own (a silent reconnection would skip the messages sent meanwhile).
    """

    def __init__(self, mirror: Mirror, *, channel: str, connect: Callable[[], Any], retry_seconds: float = 1.0):
        self.channel = channel
        self._mirror = weakref.ref(mirror)
        self._connect = connect
        self._retry_seconds = retry_seconds
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connection: Any = None

    def ensure_started(self) -> None:
        """Starts the thread in this process if it is not running (a forked worker has none)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            mirror = self._mirror()
            if mirror is not None:
                mirror.live = False
                mirror.sender = uuid.uuid4().hex.encode()
                mirror.clear()
            self._pid = os.getpid()
            threading.Thread(target=self._run, name=f"near-cache {self.channel}", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set() and self._mirror() is not None:
            try:
                self._listen()
            except Exception as error:  # any failure: read through Redis until subscribed again
                logger.info("cache change messages unavailable, reading through: %s", error)
            finally:
                self._went_deaf()
            self._stop.wait(self._retry_seconds)

    def _listen(self) -> None:
        pubsub = self._connect().pubsub()
        try:
            pubsub.subscribe(self.channel)
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=1.0)
                mirror = self._mirror()
                if mirror is None:
                    return
                if message is None:
                    continue
                if message["type"] == "message":
                    mirror.heard += 1
                if message["type"] == "subscribe":
                    mirror.clear()  # whatever changed before now was not heard
                    mirror.live = True
                elif message["type"] == "message":
                    origin, *keys = message["data"].split(SEPARATOR)
                    if origin == mirror.sender:
                        continue
                    if keys == [ALL]:
                        mirror.clear()
                    else:
                        mirror.drop(key.decode() for key in keys)
        finally:
            pubsub.close()

    def _went_deaf(self) -> None:
        mirror = self._mirror()
        if mirror is not None:
            mirror.live = False
            mirror.clear()
