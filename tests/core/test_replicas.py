"""Read replicas: who reads where (in process), and against a real streaming replica (marked ``replica``).

The real one: a throwaway primary cluster on a free loopback port (``wal_level=replica``,
every statement logged with its client's name) and a standby made of it with
``pg_basebackup -R`` on another port, from pgserver's PostgreSQL binaries (or the
system's). The portal runs on them under gunicorn, like production, and is spoken to
over HTTP: anonymous pages must send no query to the primary, a staff edit must show at
once to its author, a lagging replica must be left out, and the site must keep answering
with the replica stopped.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import RequestFactory

from core import replicas

# In process: the rules, with the replica's answers faked.


@pytest.fixture
def one_replica(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1"]
    monkeypatch.setattr(replicas, "replica_usable", lambda alias: True)
    monkeypatch.setattr(replicas, "_scalar", lambda alias, sql: 1234)


def reads_during(request) -> dict:
    """Where the router sends a read and a write of ``request``, and the cookies of the answer."""
    from events.models import Event

    seen = {}

    def view(request):
        router = replicas.ReplicaRouter()
        seen["read"] = router.db_for_read(Event)
        if request.method == "POST":
            seen["write"] = router.db_for_write(Event)
            seen["read after the write"] = router.db_for_read(Event)
        seen["position"] = replicas.read_position()
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(request)
    return {**seen, "pinned": replicas.PIN_COOKIE in response.cookies}


def test_anonymous_page_views_read_a_replica(one_replica):
    assert reads_during(RequestFactory().get("/en/partners/")) == {
        "read": "replica1",
        "position": 1234,
        "pinned": False,
    }


@pytest.mark.parametrize(
    "request_of",
    [
        lambda rf: rf.get("/en/partners/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc"),  # staff
        lambda rf: rf.get("/admin/login/"),
        lambda rf: rf.get("/en/partners/", HTTP_COOKIE=f"{replicas.PIN_COOKIE}=1"),  # wrote a moment ago
    ],
    ids=["staff", "admin", "pinned"],
)
def test_staff_the_admin_and_a_client_that_just_wrote_read_the_primary(one_replica, request_of):
    seen = reads_during(request_of(RequestFactory()))
    assert seen["read"] == DEFAULT_DB_ALIAS and seen["position"] is None


def test_a_form_reads_and_writes_the_primary_and_pins_its_client(one_replica):
    seen = reads_during(RequestFactory().post("/en/subscriptions/", {"email": "a@example.org"}))
    assert seen == {
        "read": DEFAULT_DB_ALIAS,
        "write": DEFAULT_DB_ALIAS,
        "read after the write": DEFAULT_DB_ALIAS,
        "position": None,
        "pinned": True,
    }


def test_commands_and_imports_outside_a_request_read_the_primary(one_replica):
    from events.models import Event

    assert replicas.ReplicaRouter().db_for_read(Event) == DEFAULT_DB_ALIAS


def test_a_replica_that_does_not_answer_is_left_for_the_primary(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1"]
    monkeypatch.setattr(replicas, "replica_usable", lambda alias: True)
    monkeypatch.setattr(replicas, "_scalar", lambda alias, sql: None)  # down since its last check
    assert reads_during(RequestFactory().get("/en/partners/"))["read"] == DEFAULT_DB_ALIAS


@pytest.mark.parametrize(
    ("lag", "usable"), [(0.2, True), (60.0, False), (None, False)], ids=["close", "behind", "down"]
)
def test_the_lag_is_checked_at_most_every_few_seconds(settings, monkeypatch, lag, usable):
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_CHECK_SECONDS = 5, 60
    asked = []
    monkeypatch.setattr(replicas, "_health", {})
    monkeypatch.setattr(replicas, "_scalar", lambda alias, sql: asked.append(sql) or lag)
    assert replicas.replica_usable("replica1") is usable
    assert replicas.replica_usable("replica1") is usable
    assert len(asked) == 1


def test_a_page_read_from_a_replica_behind_a_known_change_is_not_kept():
    from core.cache_tags import Built, bump, clock, storable

    bump({"events.event:1"}, position=5000)
    page = Built(clock(), frozenset({"events.event:1"}), {}, "page")
    assert storable(page) and storable(page, position=5000)
    assert not storable(page, position=4999)


# Against a real streaming replica.


def postgres_binaries() -> Path | None:
    """A folder with initdb, pg_ctl and pg_basebackup: pgserver's, else the system's newest."""
    from association.embedded_db import embedded_bin_dir

    for folder in [embedded_bin_dir(), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A primary and its standby in a temporary folder, run as pgserver's system user when we are root."""

    def __init__(self, binaries: Path):
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="portal-replica-"))
        self.root.chmod(0o755)
        self.user = None
        if os.geteuid() == 0:
            self.user = "pgserver"  # PostgreSQL refuses to run as root; pgserver made this user
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.primary, self.standby = self.root / "primary", self.root / "standby"
        self.ports = {"primary": free_port(), "standby": free_port()}

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [str(self.bin / tool), *args], check=True, capture_output=True, text=True, user=self.user, timeout=120
        )

    def start(self) -> None:
        self.run("initdb", "-D", str(self.primary), "--auth=trust", "-U", "postgres", "--encoding=UTF8")
        settings_of = {
            "listen_addresses": "'127.0.0.1'",
            "port": self.ports["primary"],
            "unix_socket_directories": f"'{self.root}'",
            "wal_level": "replica",
            "max_wal_senders": 4,
            "hot_standby": "on",
            "fsync": "off",  # a throwaway cluster: speed over durability
            "log_statement": "'all'",
            "log_line_prefix": "'%a|'",
        }
        with (self.primary / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings_of.items())
        self.pg_ctl(self.primary, "start")
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
            "-D", str(self.standby), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with (self.standby / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.ports['standby']}\n")
        self.pg_ctl(self.standby, "start")

    def pg_ctl(self, data: Path, action: str) -> None:
        log = ["-l", str(data.parent / f"{data.name}.log")] if action == "start" else ["-m", "immediate"]
        self.run("pg_ctl", "-D", str(data), "-w", *log, action)

    def url(self, which: str, application: str, database: str = "portal") -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports[which]}/{database}?application_name={application}"

    def sql(self, which: str, statement: str):
        with psycopg.connect(self.url(which, "portal-test", "postgres"), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else None

    def log_of(self, which: str) -> Path:
        return self.root / f"{which}.log"

    def stop(self) -> None:
        for data in (self.standby, self.primary):
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    user=self.user,
                    capture_output=True,
                    check=False,
                )
        shutil.rmtree(self.root, ignore_errors=True)


SETUP = """
import json
from django.contrib.auth import get_user_model
from partners.models import Country
from tests.factories import make_event, make_partner
# migrate loaded the reference geography: partners belong to one of its countries.
partner = make_partner(name_en="Harbourtown", country=Country.objects.get(code="NO"))
other = make_partner(name_en="Hilltown", country=Country.objects.get(code="IS"))
event = make_event(partners=[partner], title_en="Harbour festival")
get_user_model().objects.create_superuser("editor", "editor@example.org", "pass-word-123")
print(json.dumps({"partner": partner.slug, "other": other.slug, "country": partner.country.slug, "event": event.pk}))
"""


@pytest.fixture(scope="module")
def portal():
    """The portal under gunicorn on the primary and its standby: (base URL, cluster, the test data)."""
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL binaries with initdb and pg_basebackup (pgserver's, or /usr/lib/postgresql/*/bin)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("pgserver")
        except KeyError:
            pytest.skip("running as root without pgserver's system user to run PostgreSQL as")
    cluster = Cluster(binaries)
    server = None
    try:
        cluster.start()
        cluster.sql("primary", "CREATE DATABASE portal")
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "REDIS_", "DATABASE_", "PUBLIC_CACHE"))
        }
        setup = {**inherited, "DEBUG": "true", "DATABASE_URL": cluster.url("primary", "portal-setup")}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=settings.BASE_DIR, env=setup, check=True)
        shell = subprocess.run(
            [*manage, "shell", "-c", SETUP], cwd=settings.BASE_DIR, env=setup, capture_output=True, text=True
        )
        assert shell.returncode == 0, shell.stderr
        data = json.loads(shell.stdout.strip().splitlines()[-1])
        port = free_port()
        env = {
            **inherited,
            "DEBUG": "true",
            "DATABASE_URL": cluster.url("primary", "portal-web"),
            "DATABASE_REPLICA_URLS": cluster.url("standby", "portal-web"),
            "PUBLIC_CACHE_SECONDS": "600",
            "REPLICA_MAX_LAG_SECONDS": "6",
            "REPLICA_CHECK_SECONDS": "0.5",
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ]
        command += ["--workers", "1", "--threads", "4"]
        server = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the portal did not start on the test cluster")
                time.sleep(0.3)
        yield base, cluster, data
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.stop()


class Browser:
    """A client with its own cookies."""

    def __init__(self, base: str):
        self.base = base
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies)
        self.no_redirect = urllib.request.build_opener(cookies, NoRedirect)

    def get(self, path: str) -> tuple[int, str, dict]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def post(self, path: str, fields: list[tuple[str, str]]) -> int:
        """The answer's status; a redirect (a form accepted) is not followed."""
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.no_redirect.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self) -> None:
        _status, html, _headers = self.get("/admin/login/")
        fields = [*form_fields(html, "login-form"), ("username", "editor"), ("password", "pass-word-123")]
        assert self.post("/admin/login/?next=/admin/", fields) == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value") or ("on" if "checked" in attrs else "")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields


def statements_since(cluster: Cluster, which: str, offset: int) -> list[str]:
    """The portal's statements that ``which`` logged after ``offset`` bytes of its log."""
    with cluster.log_of(which).open("rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    return [line for line in lines if line.startswith("portal-web|") and "statement:" in line]


def log_size(cluster: Cluster, which: str) -> int:
    return cluster.log_of(which).stat().st_size


def wait_for_replay(cluster: Cluster) -> None:
    for _ in range(100):
        rows = cluster.sql("standby", "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")
        if rows and rows[0][0]:
            return
        time.sleep(0.1)


@pytest.mark.replica
def test_anonymous_pages_send_no_query_to_the_primary(portal):
    base, cluster, data = portal
    visitor = Browser(base)
    pages = [
        "/en/",
        f"/en/partners/{data['partner']}/",
        f"/en/partners/countries/{data['country']}/",
        f"/ru/events/{data['event']}/",
        "/vi/events/",
        "/en/events/calendar.ics",
    ]
    primary, standby = log_size(cluster, "primary"), log_size(cluster, "standby")
    for path in pages:
        status, _html, headers = visitor.get(path)
        assert status == 200 and headers["X-Cache"] == "MISS", path
    assert statements_since(cluster, "primary", primary) == []
    assert len(statements_since(cluster, "standby", standby)) > len(pages)  # read there instead


@pytest.mark.replica
def test_a_staff_edit_shows_at_once_to_its_author_while_the_lagging_replica_is_left_out(portal):
    base, cluster, data = portal
    editor, visitor = Browser(base), Browser(base)
    editor.sign_in()
    change = f"/admin/events/event/{data['event']}/change/"
    _status, form, _headers = editor.get(change)
    event_page = f"/en/events/{data['event']}/"
    assert "Harbour festival" in visitor.get(event_page)[1]
    cluster.sql("primary", "SELECT txid_current()")  # a fresh transaction for the replica to have replayed
    wait_for_replay(cluster)
    cluster.sql("standby", "SELECT pg_wal_replay_pause()")
    try:
        fields = [
            (name, "Harbour festival renamed" if name == "title_en" else value)
            for name, value in form_fields(form, "event_form")
        ]
        assert editor.post(change, [*fields, ("_save", "Save")]) == 302
        # A visitor reads the replica, which has not replayed the edit yet; what it renders is not kept.
        first, second = visitor.get(event_page), visitor.get(event_page)
        # The author reads the primary: the edit is there at once.
        assert "Harbour festival renamed" in editor.get(event_page)[1]
        assert "Harbour festival renamed" not in first[1]
        assert (first[2]["X-Cache"], second[2]["X-Cache"]) == ("MISS", "MISS")
        # Once it lags more than REPLICA_MAX_LAG_SECONDS (6 s here), the replica is left out for the primary.
        time.sleep(7)
        assert "Harbour festival renamed" in visitor.get(event_page)[1]
    finally:
        cluster.sql("standby", "SELECT pg_wal_replay_resume()")
    wait_for_replay(cluster)
    time.sleep(1)  # the next check finds it caught up
    primary = log_size(cluster, "primary")
    assert "Harbour festival renamed" in visitor.get("/en/events/")[1]  # not rendered since the edit
    assert statements_since(cluster, "primary", primary) == []  # back on the replica, which has it now


@pytest.mark.replica
def test_the_site_still_answers_with_the_replica_stopped(portal):
    base, cluster, data = portal
    cluster.pg_ctl(cluster.standby, "stop")
    visitor = Browser(base)
    started = time.monotonic()
    for path in [f"/vi/partners/{data['other']}/", "/vi/", "/en/events/?kind=festival"]:
        status, html, _headers = visitor.get(path)
        assert status == 200, (path, html[:500])
    assert time.monotonic() - started < 20
    assert "Hilltown" in visitor.get(f"/en/partners/{data['other']}/")[1]
