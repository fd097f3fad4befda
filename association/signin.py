"""Sign-in throttling (django-axes) as deployed: who the client is, and what a locked-out person reads.

A lockout holds one user name *from one address* (``AXES_LOCKOUT_PARAMETERS``): a
stranger who types wrong passwords for a staff member's name locks out only himself,
never the staff member signing in from elsewhere. That depends on knowing the client's
address: behind the reverse proxy every request comes from the proxy, so the address is
read from ``X-Forwarded-For``, counting ``TRUSTED_PROXY_COUNT`` entries from its end —
each proxy appends the address it received the request from, so those entries are
written by proxies, the ones before them by whoever sent the request. With no proxy
(``TRUSTED_PROXY_COUNT=0``, the default) the header is ignored: anyone can send it.
"""

from __future__ import annotations

import ipaddress
import math

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: set by the trusted proxies, else the peer of the connection."""
    peer = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return peer
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < count:  # not through the proxies that were announced
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return peer


def remaining_minutes(username: str | None, address: str | None) -> int:
    """Whole minutes, rounded up, until the lockout of ``username`` from ``address`` ends."""
    cool_off = settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    remaining = (last + cool_off - timezone.now()) if last else cool_off
    return max(1, math.ceil(remaining.total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """429 with the admin's look: how long the lock lasts, that it is this address only, who can lift it."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    context = {
        **admin.site.each_context(request),
        "title": "",
        "minutes": remaining_minutes(username, address),
    }
    return render(request, "admin/locked_out.html", context, status=429)
