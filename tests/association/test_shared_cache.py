"""Production needs a cache every process shares: it refuses the per-process one unless told there is one process."""

import os
import runpy
import secrets
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings

PRODUCTION = {"DEBUG": "false", "DATABASE_URL": "postgres://x@db/x", "ALLOWED_HOSTS": "spbaic.example.org"}
SHOW_CACHE = "import association.settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"


def load_settings(**env) -> subprocess.CompletedProcess:
    inherited = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "SINGLE_PROCESS_CACHE"}}
    return subprocess.run(
        [sys.executable, "-c", SHOW_CACHE],
        cwd=settings.BASE_DIR,
        env={**inherited, **PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_on_the_per_process_cache():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "REDIS_URL must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"SINGLE_PROCESS_CACHE": "true"}, "django.core.cache.backends.locmem.LocMemCache"),  # one process: its own
        ({"REDIS_URL": "redis://cache.internal.example:6379/0"}, "core.cache_backends.ResilientRedisCache"),  # shared
    ],
)
def test_a_shared_cache_or_a_single_process_is_accepted_and_sessions_stay_in_the_database(env, backend):
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, "django.contrib.sessions.backends.db"]


@pytest.mark.parametrize(("workers", "redis", "refused"), [(1, False, False), (3, False, True), (3, True, False)])
def test_gunicorn_refuses_several_workers_without_a_shared_cache(monkeypatch, workers, redis, refused):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    if redis:
        monkeypatch.setenv("REDIS_URL", "redis://cache.internal.example:6379/0")
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    server = SimpleNamespace(cfg=SimpleNamespace(workers=workers))
    if refused:
        with pytest.raises(SystemExit, match="need a shared cache"):
            config["on_starting"](server)
    else:
        config["on_starting"](server)
    assert (config["workers"] > 1) == redis  # its default: one worker without Redis
