"""The answer while PostgreSQL cannot be reached: a 503 that needs no database."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # No request passed to the template: context processors (the menu) query the database.
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
