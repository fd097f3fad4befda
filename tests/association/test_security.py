"""Production settings, security headers, cookies and the CSP, the admin included."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_event, make_partner

# JSON-LD is a data block, never executed: the CSP does not apply to it.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>\s*\S", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT_OR_ATTRIBUTE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.IGNORECASE)


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests allow async-unsafe calls in their own process; production never does.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "association.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://portal:not-a-real-password@db.internal.example:5432/spbaic",
        "REDIS_URL": "redis://cache.internal.example:6379/0",
        "ALLOWED_HOSTS": "spbaic.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_development_secret():
    env = {**os.environ, "DEBUG": "false", "DATABASE_URL": "postgres://x@db/x"}
    env.pop("SECRET_KEY", None)
    code = "import association.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ru/", "/en/partners/", "/healthz", "/robots.txt", "/vi/no-such-page/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cookie_flags_are_strict_in_production():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://x@db/x",
        "REDIS_URL": "redis://cache.internal.example:6379/0",
        "DJANGO_SETTINGS_MODULE": "association.settings",
    }
    code = (
        "import django; from django.conf import settings as s; django.setup();"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "Lax", "True"]


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style(client):
    partner = make_partner()
    event = make_event(partners=[partner])
    for url in [
        "/ru/",
        "/en/partners/",
        partner.get_absolute_url(),
        "/vi/events/",
        event.get_absolute_url(),
        "/ru/search/?q=test",
    ]:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
        assert not STYLE_ELEMENT_OR_ATTRIBUTE.search(html), url


def test_error_pages_work_under_the_csp(rf):
    from association.outage import database_unavailable
    from association.views import server_error

    for response in [server_error(rf.get("/")), database_unavailable(rf.get("/"))]:
        html = response.content.decode()
        assert not STYLE_ELEMENT_OR_ATTRIBUTE.search(html)
        assert "css/error.css" in html


@pytest.mark.django_db
def test_admin_pages_need_no_inline_script(staff_client):
    partner = make_partner()
    event = make_event(partners=[partner])
    urls = [
        reverse("admin:index"),
        reverse("admin:partners_partner_changelist"),
        reverse("admin:partners_partner_change", args=[partner.pk]),
        reverse("admin:partners_partner_add"),
        reverse("admin:events_event_change", args=[event.pk]),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
        # modeltranslation's jQuery UI is self-hosted: the CSP allows no other origin.
        assert "code.jquery.com" not in html, url
