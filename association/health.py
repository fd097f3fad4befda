"""Probes for the load balancer and the orchestrator, outside the language prefixes.

``/healthz``: the process answers (no database: a database outage must not get every
app process restarted). ``/readyz``: the database answers too, so this process can
take traffic.
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from association.middleware import is_database_outage


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        if not is_database_outage(error):
            raise
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
