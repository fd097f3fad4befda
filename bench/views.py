from django.http import HttpResponse


def ceiling(request):
    """A minimal response through the full middleware stack: the throughput ceiling of a benchmark."""
    return HttpResponse("ok", content_type="text/plain")
