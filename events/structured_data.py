"""schema.org ``Event`` data for an event page, so that search engines read dates and status."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.i18n import text_in_language
from core.text import plain_text
from events.models import Event
from partners.models import Partner

SCHEMA = "https://schema.org/"
STATUSES = {
    Event.Status.SCHEDULED: "EventScheduled",
    Event.Status.CANCELLED: "EventCancelled",
    Event.Status.POSTPONED: "EventPostponed",
}


def _location(event: Event, request: HttpRequest, partners: list[Partner]) -> dict:
    if event.place == Event.Place.ONLINE:
        return {"@type": "VirtualLocation", "url": request.build_absolute_uri(event.get_absolute_url())}
    if event.place == Event.Place.SPB:
        return {
            "@type": "Place",
            "name": "Saint Petersburg",
            "address": {"@type": "PostalAddress", "addressCountry": "RU"},
        }
    if partners:
        partner = partners[0]
        return {
            "@type": "Place",
            "name": text_in_language(partner, "name")[0],
            "address": {"@type": "PostalAddress", "addressCountry": partner.country.code},
        }
    return {"@type": "Place", "name": str(event.get_place_display())}


def event_json_ld(event: Event, request: HttpRequest, *, partners: list[Partner]) -> dict:
    """The page's event as a schema.org ``Event`` (dates as the first and last day of the period).

    ``partners``: the published partners the page shows, with their countries (the first is the place).

    ``inLanguage`` is the language of the name actually shown, which is Russian on an English page
    while the title is not translated: the page's language would tell search engines that the
    Russian text is English. A description in yet another language is left out rather than mislabelled.
    """
    title, language = text_in_language(event, "title")
    description, description_language = text_in_language(event, "description")
    online = event.place == Event.Place.ONLINE
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title,
        "startDate": event.period.first_day.isoformat(),
        "endDate": event.period.last_day.isoformat(),
        "eventStatus": SCHEMA + STATUSES.get(event.status, "EventScheduled"),
        "eventAttendanceMode": SCHEMA + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
        "location": _location(event, request, partners),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "inLanguage": language,
        "organizer": {"@type": "Organization", "name": str(settings.SITE_NAME)},
    }
    if description and description_language == language:
        data["description"] = plain_text(description)[:500]
    if event.image:
        data["image"] = request.build_absolute_uri(event.image.url)
    return data


# Characters that could end the script element or start markup, written as JSON escapes.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` with the JSON escaped for an HTML script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 — escaped above
