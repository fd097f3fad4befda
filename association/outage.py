"""The answer while PostgreSQL cannot be reached: a 503 that needs no database, in the format asked for.

Calendar clients, feed readers and scripts fetching open data get a 503 in their own
format (iCalendar, Atom, JSON; plain text for the other files), with ``Retry-After``,
instead of an HTML page they cannot read; people get the short HTML page.
"""

import json
from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

#: The domain in the calendar's product id and the feed's id, as in events/feeds.py.
UID_DOMAIN = "events.spb-aic"


def error_language(request: HttpRequest) -> str:
    """The language of an error page: the URL's, else the visitor's (cookie, Accept-Language), else Russian.

    Reads neither the database nor the Host header, and never the language a previous
    request left active in this thread.
    """
    return translation.get_language_from_request(request, check_path=True)


def _calendar(message: str, language: str) -> tuple[str, str]:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{UID_DOMAIN}//{language}",
        "X-WR-CALNAME:" + message.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,"),
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines), "text/calendar; charset=utf-8"


def _atom(message: str, language: str) -> tuple[str, str]:
    updated = timezone.now().isoformat(timespec="seconds")
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">'
        f"<title>{escape(message)}</title><id>tag:{UID_DOMAIN},2024:unavailable</id><updated>{updated}</updated></feed>\n"
    )
    return body, "application/atom+xml; charset=utf-8"


def _json(message: str, language: str) -> tuple[str, str]:
    body = {"status": "unavailable", "detail": message, "retry_after": settings.DATABASE_RETRY_AFTER}
    return json.dumps(body, ensure_ascii=False) + "\n", "application/json"


def _text(message: str, language: str) -> tuple[str, str]:
    return message + "\n", "text/plain; charset=utf-8"


FORMATS = {".ics": _calendar, ".atom": _atom, ".json": _json, ".csv": _text, ".xml": _text, ".txt": _text}


def database_unavailable(request: HttpRequest) -> HttpResponse:
    language = error_language(request)
    path = request.path_info
    suffix = "" if path.endswith("/") else PurePosixPath(path).suffix.lower()
    with translation.override(language):
        if suffix in FORMATS:
            body, content_type = FORMATS[suffix](_("The site is temporarily unavailable"), language)
        else:
            # No request passed to the template: context processors (the menu) query the database.
            body, content_type = loader.render_to_string("503.html"), "text/html; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
