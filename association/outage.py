"""The answer while PostgreSQL cannot be reached: a 503 that needs no database."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation


def error_language(request: HttpRequest) -> str:
    """The language of an error page: the URL's, else the visitor's (cookie, Accept-Language), else Russian.

    Reads neither the database nor the Host header, and never the language a previous
    request left active in this thread.
    """
    return translation.get_language_from_request(request, check_path=True)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # No request passed to the template: context processors (the menu) query the database.
    with translation.override(error_language(request)):
        body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
