"""Open data: all published partners, agreements and events as JSON and CSV.

Downloads stream row by row over ``.iterator(chunk_size=...)``, so their memory use
does not grow with the data; with the page cache on, the stream is written to a file
once per content version and each request reads that file (``core.cache.cached_file``).
Ids are the database ids (stable); texts are in the language of the URL, through the
fallback; dates are ISO 8601 with their precision.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.cache import cached_file, pages_cached
from core.i18n import text_in_language
from core.partial_dates import PartialDate, PartialPeriod
from core.registry import content_for
from events.models import Event
from partners.models import Agreement, Milestone, Partner

CHUNK_SIZE = 500
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = f"Creative Commons Attribution 4.0 International (CC BY 4.0), {LICENCE_URL}"


def _iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def _precision(value: PartialDate | None) -> str | None:
    return value.precision.name.lower() if value else None


def _text(instance, field: str) -> str:
    return text_in_language(instance, field)[0]


def _partners() -> QuerySet:
    return Partner.objects.published().select_related("country__region").order_by("pk")


def _partner_row(partner: Partner, absolute: Callable[[str], str]) -> dict:
    return {
        "id": partner.pk,
        "slug": partner.slug,
        "name": _text(partner, "name"),
        "kind": partner.kind,
        "country_code": partner.country.code,
        "country": _text(partner.country, "name"),
        "region": partner.country.region.code,
        "latitude": float(partner.latitude) if partner.latitude is not None else None,
        "longitude": float(partner.longitude) if partner.longitude is not None else None,
        "ties_since": _iso(partner.ties_since),
        "ties_since_precision": _precision(partner.ties_since),
        "url": absolute(partner.get_absolute_url()),
    }


def _agreements() -> QuerySet:
    milestones = Prefetch("milestones", queryset=Milestone.objects.order_by("date_on", "pk"))
    return content_for(Agreement).public_records().select_related("partner").prefetch_related(milestones).order_by("pk")


def _agreement_row(agreement: Agreement, absolute: Callable[[str], str]) -> dict:
    return {
        "id": agreement.pk,
        "partner_id": agreement.partner_id,
        "partner_slug": agreement.partner.slug,
        "kind": agreement.kind,
        "spb_party": agreement.spb_party,
        "title": _text(agreement, "title"),
        "valid_from_year": agreement.valid_from_year,
        "valid_to_year": agreement.valid_to_year,
        "milestones": [
            {"date": _iso(item.date), "precision": _precision(item.date), "label": _text(item, "label")}
            for item in agreement.milestones.all()
        ],
        "url": absolute(agreement.partner.get_absolute_url()),
    }


def _events() -> QuerySet:
    partners = Prefetch("partners", queryset=Partner.objects.published())  # no draft partner's id
    return Event.objects.published().prefetch_related(partners, "societies").order_by("pk")


def _event_row(event: Event, absolute: Callable[[str], str]) -> dict:
    period: PartialPeriod = event.period
    return {
        "id": event.pk,
        "title": _text(event, "title"),
        "description": _text(event, "description"),
        "kind": event.kind,
        "status": event.status,
        "place": event.place,
        "start": _iso(period.start),
        "start_precision": _precision(period.start),
        "end": _iso(period.end),
        "end_precision": _precision(period.end),
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
        "partner_ids": [partner.pk for partner in event.partners.all()],
        "society_ids": [society.pk for society in event.societies.all()],
        "url": absolute(event.get_absolute_url()),
        "updated_at": event.updated_at.isoformat(),
    }


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    rows: Callable[[], QuerySet]
    row: Callable[..., dict]
    updated: Callable[[], object]


DATASETS = {
    "partners": Dataset(
        "partners", _("Partners"), _partners, _partner_row, lambda: _partners().aggregate(at=Max("updated_at"))["at"]
    ),
    "agreements": Dataset(
        "agreements",
        _("Agreements"),
        _agreements,
        _agreement_row,
        lambda: _partners().aggregate(at=Max("updated_at"))["at"],
    ),
    "events": Dataset(
        "events",
        _("Events"),
        _events,
        _event_row,
        lambda: Event.objects.published().aggregate(at=Max("updated_at"))["at"],
    ),
}


def _records(dataset: Dataset, request: HttpRequest, language: str) -> Iterator[dict]:
    with translation.override(language):
        for instance in dataset.rows().iterator(chunk_size=CHUNK_SIZE):
            yield dataset.row(instance, request.build_absolute_uri)


def _json_stream(dataset: Dataset, request: HttpRequest, language: str, header: dict) -> Iterator[str]:
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "records": ['
    separator = "\n"
    for record in _records(dataset, request, language):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> object:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return ";".join(f"{item['date']} {item['label']}".strip() for item in value)
        return ";".join(str(item) for item in value)
    return "" if value is None else value


def _csv_stream(dataset: Dataset, request: HttpRequest, language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    columns = None
    for record in _records(dataset, request, language):
        if columns is None:
            columns = list(record)
            yield writer.writerow(columns)
        yield writer.writerow([_csv_cell(record[column]) for column in columns])


def download(request: HttpRequest, name: str, extension: str) -> StreamingHttpResponse:
    dataset = DATASETS.get(name)
    if dataset is None or extension not in ("json", "csv"):
        raise Http404("unknown dataset")
    language = translation.get_language()
    updated = dataset.updated()
    header = {
        "title": f"{dataset.title} — {settings.SITE_NAME}",
        "publisher": str(settings.SITE_NAME),
        "licence": LICENCE,
        "language": language,
        "data_date": (updated or timezone.now()).date().isoformat(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    if extension == "json":
        stream, content_type = _json_stream(dataset, request, language, header), "application/json"
    else:
        stream, content_type = _csv_stream(dataset, request, language), "text/csv; charset=utf-8"
    chunks = (chunk.encode() for chunk in stream)  # lazy: nothing is read until the first chunk is asked for
    body = chunks
    if pages_cached():
        # Written once per content version (and language, and site address: the URLs in it are absolute).
        origin = hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:16]
        body = cached_file(f"{name}-{language}-{origin}.{extension}", chunks)
    if hasattr(body, "read"):
        response = FileResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["X-Data-Date"] = header["data_date"]
    response["Content-Disposition"] = f'inline; filename="{name}-{language}.{extension}"'
    return response


class OpenDataView(TemplateView):
    template_name = "association/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(datasets=DATASETS.values(), licence=LICENCE, licence_url=LICENCE_URL)
        return context
