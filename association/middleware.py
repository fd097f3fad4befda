"""Middleware that keeps the site answering sensibly when it is attacked or stressed.

- ``HeadWithoutBodyMiddleware``: HEAD answers carry GET's headers and no body.
- ``RequestLogMiddleware``: one JSON line per request, without personal data.
- ``RequestSizeLimitMiddleware``: refuses oversized bodies with 413 before reading them.
- ``PermissionsPolicyMiddleware``: the one security header Django does not set.
- ``DatabaseUnavailableMiddleware``: a database outage answers 503, not 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from association.outage import database_unavailable

request_logger = logging.getLogger("association.request")

Handler = Callable[[HttpRequest], HttpResponse]


class HeadWithoutBodyMiddleware:
    """HEAD gets the headers GET would get (``Content-Length`` included) and no body.

    Django's test client and runserver drop the body themselves; gunicorn sends whatever
    the application returns. First in the list, so that nothing adds a body after it; a
    streamed answer (open data) is not read at all: its generator is closed unstarted
    when the server closes the response.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            response.streaming_content = iter(())
        else:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class RequestLogMiddleware:
    """Logs method, path (never the query string), status, duration and language."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        request_logger.info(
            "request",
            extra={
                "http": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "language": getattr(request, "LANGUAGE_CODE", None),
                }
            },
        )
        return response


class RequestSizeLimitMiddleware:
    """413 for a declared body above ``REQUEST_MAX_BODY_SIZE``; 400 for a malformed length."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return HttpResponse("Bad Request: malformed Content-Length\n", status=400, content_type="text/plain")
        if length > settings.REQUEST_MAX_BODY_SIZE:
            return HttpResponse("Request body too large\n", status=413, content_type="text/plain")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """Turns "cannot reach PostgreSQL" raised by a view or its template into a 503.

    Placed after LocaleMiddleware, so the page speaks the visitor's language. With
    ``CONN_HEALTH_CHECKS`` on, the next request after the database returns reconnects
    by itself.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return database_unavailable(request)
        return None


def is_database_outage(exception: BaseException | None) -> bool:
    """Connection-level failures only: a bad query (DataError, IntegrityError) stays a bug."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    # psycopg wraps "server closed the connection" on a half-dead socket as DatabaseError.
    return type(exception) is DatabaseError and "connection" in str(exception).lower()
