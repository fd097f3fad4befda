"""Open data: the published partners, agreements, events and societies as JSON and CSV.

Each file takes the filters of its list in the query string — ``partners.csv?country=VN`` is the
partner directory's selection, ``events.json?year=2024&kind=exhibition`` the events list's — and
answers 400 with a plain message (``core.bad_filters``) for a value that is not valid or a filter
that the file does not have, instead of the whole set.

Downloads stream row by row over ``.iterator(chunk_size=...)``, so their memory use
does not grow with the data; with the page cache on, the stream is written to a file once
until the lists it reads change (per selection and day), and each request reads that file
(``core.cache.cached_file``): an event's edit leaves the partners' files as they are.
Ids are the database ids (stable); texts are in the language of the URL, through the
fallback, and each text field has a ``<field>_language`` beside it: the language the text is
actually in (``ru`` for a name not yet translated), empty when there is no text. Dates are
ISO 8601 with their precision.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.bad_filters import bad_filters_response, filter_problems
from core.cache import cached_file, pages_cached
from core.i18n import text_in_language
from core.partial_dates import PartialDate, PartialPeriod
from core.registry import content_for
from events.filters import EventFilter
from events.models import Event
from events.selection import stored_selection
from partners.filters import PartnerFilter
from partners.models import Agreement, Milestone, Partner
from societies.filters import SocietyFilter
from societies.models import Society

CHUNK_SIZE = 500
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = f"Creative Commons Attribution 4.0 International (CC BY 4.0), {LICENCE_URL}"


def _iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def _precision(value: PartialDate | None) -> str | None:
    return value.precision.name.lower() if value else None


def _text(instance, field: str, key: str | None = None) -> dict:
    """``{key: text, key_language: its language}``: the text shown in this language, and the language it is in."""
    key = key or field
    text, language = text_in_language(instance, field)
    return {key: text, f"{key}_language": language if text else None}


def _partners(data: QueryDict) -> PartnerFilter:
    return PartnerFilter(data, queryset=Partner.objects.for_directory())


def _partner_row(partner: Partner, absolute: Callable[[str], str]) -> dict:
    return {
        "id": partner.pk,
        "slug": partner.slug,
        **_text(partner, "name"),
        "kind": partner.kind,
        "country_code": partner.country.code,
        **_text(partner.country, "name", "country"),
        "region": partner.country.region.code,
        "latitude": float(partner.latitude) if partner.latitude is not None else None,
        "longitude": float(partner.longitude) if partner.longitude is not None else None,
        "ties_since": _iso(partner.ties_since),
        "ties_since_precision": _precision(partner.ties_since),
        "url": absolute(partner.get_absolute_url()),
    }


def _agreements(partners: QuerySet) -> QuerySet:
    milestones = Prefetch("milestones", queryset=Milestone.objects.order_by("date_on", "pk"))
    return (
        content_for(Agreement)
        .public_records()
        .filter(partner__in=partners.values("pk"))
        .select_related("partner")
        .prefetch_related(milestones)
    )


def _agreement_row(agreement: Agreement, absolute: Callable[[str], str]) -> dict:
    return {
        "id": agreement.pk,
        "partner_id": agreement.partner_id,
        "partner_slug": agreement.partner.slug,
        "kind": agreement.kind,
        "spb_party": agreement.spb_party,
        **_text(agreement, "title"),
        "valid_from_year": agreement.valid_from_year,
        "valid_to_year": agreement.valid_to_year,
        "milestones": [
            {"date": _iso(item.date), "precision": _precision(item.date), **_text(item, "label")}
            for item in agreement.milestones.all()
        ],
        "url": absolute(agreement.partner.get_absolute_url()),
    }


def _events(data: QueryDict) -> EventFilter:
    """The events list's selection (``sort`` aside: a file is in the order of its ids)."""
    return stored_selection(data.urlencode())


def _event_row(event: Event, absolute: Callable[[str], str]) -> dict:
    period: PartialPeriod = event.period
    return {
        "id": event.pk,
        **_text(event, "title"),
        **_text(event, "description"),
        "kind": event.kind,
        "status": event.status,
        # What the status means today: a past event as planned was held (the file is made once a day).
        "state": event.state_on(timezone.localdate()) or "",
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


def _societies(data: QueryDict) -> SocietyFilter:
    return SocietyFilter(data, queryset=Society.objects.published())


def _society_row(society: Society, absolute: Callable[[str], str]) -> dict:
    return {
        "id": society.pk,
        "slug": society.slug,
        **_text(society, "name"),
        "kind": society.kind,
        **_text(society, "description"),
        "country_codes": [country.code for country in society.countries.all()],
        "based_abroad": society.based_abroad,
        "founded_year": society.founded_year,
        "website": society.website or None,
        "email": society.email or None,
        "phone": society.phone or None,
        **_text(society, "address"),
        "url": absolute(society.get_absolute_url()),
        "updated_at": society.updated_at.isoformat(),
    }


@dataclass(frozen=True)
class Dataset:
    """A download: its filters (those of its list), the records they select, one record as a row."""

    name: str
    title: str
    filters: Callable[[QueryDict], django_filters.FilterSet]
    rows: Callable[[django_filters.FilterSet], QuerySet]
    row: Callable[..., dict]
    list_url: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.filters(QueryDict()).base_filters)

    def records(self, filters: django_filters.FilterSet) -> QuerySet:
        return self.rows(filters).order_by("pk")


DATASETS = {
    "partners": Dataset(
        "partners",
        gettext_lazy("Partners"),
        _partners,
        lambda filters: filters.qs,
        _partner_row,
        "partners:list",
    ),
    "agreements": Dataset(
        "agreements",
        gettext_lazy("Agreements"),
        _partners,
        lambda filters: _agreements(filters.qs),
        _agreement_row,
        "partners:list",
    ),
    "events": Dataset(
        "events",
        gettext_lazy("Events"),
        _events,
        # No draft partner's or society's id in a published event's row.
        lambda selection: selection.qs.prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published()),
            Prefetch("societies", queryset=Society.objects.published()),
        ),
        _event_row,
        "events:list",
    ),
    "societies": Dataset(
        "societies",
        gettext_lazy("Societies"),
        _societies,
        lambda filters: filters.qs.prefetch_related("countries"),
        _society_row,
        "societies:list",
    ),
}
#: Every parameter of any file, in one order: the page cache keeps these in the query string.
PARAMETERS = tuple(dict.fromkeys(name for dataset in DATASETS.values() for name in dataset.parameters))
#: Parameters that select nothing in a file (the order of the list).
NOT_SELECTING = frozenset({"sort"})


def _records(rows: QuerySet, dataset: Dataset, request: HttpRequest, language: str) -> Iterator[dict]:
    with translation.override(language):
        for instance in rows.iterator(chunk_size=CHUNK_SIZE):
            yield dataset.row(instance, request.build_absolute_uri)


def _json_stream(records: Iterator[dict], header: dict) -> Iterator[str]:
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "records": ['
    separator = "\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_columns(record: dict) -> dict:
    """A record as CSV cells: a list is joined by semicolons; a list of milestones is one cell of
    "date label" items, and each of their ``*_language`` keys one more cell (``milestones_label_language``)."""
    cells = {}
    for column, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            cells[column] = ";".join(f"{item['date']} {item['label']}".strip() for item in value)
            for key in (key for key in value[0] if key.endswith("_language")):
                cells[f"{column}_{key}"] = ";".join(item[key] or "" for item in value)
        elif isinstance(value, list):
            cells[column] = ";".join(str(item) for item in value)
        else:
            cells[column] = "" if value is None else value
    return cells


def _csv_stream(records: Iterator[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    columns = None
    for record in records:
        cells = _csv_columns(record)
        if columns is None:
            columns = list(cells)
            yield writer.writerow(columns)
        yield writer.writerow([cells.get(column, "") for column in columns])


def _refused(dataset: Dataset, request: HttpRequest, filters) -> HttpResponse | None:
    """A 400 for a filter this file does not have, or a value that its filters refuse."""
    problems = [
        f"{name}={request.GET[name][:80]}: " + _("This file has no such filter.")
        for name in request.GET
        if name in PARAMETERS and name not in dataset.parameters
    ]
    problems += filter_problems(filters.form)
    if not problems:
        return None
    return bad_filters_response(problems, choices_url=request.build_absolute_uri(reverse(dataset.list_url)))


def download(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    dataset = DATASETS.get(name)
    if dataset is None or extension not in ("json", "csv"):
        raise Http404("unknown dataset")
    filters = dataset.filters(request.GET)
    if refused := _refused(dataset, request, filters):
        return refused
    rows = dataset.records(filters)
    language = translation.get_language()
    selected = {key: value for key, value in request.GET.items() if value and key in dataset.parameters}
    selected = {key: value for key, value in selected.items() if key not in NOT_SELECTING}
    # The last change of the records selected (of their partners, for agreements).
    updated = filters.qs.aggregate(at=Max("updated_at"))["at"]
    header = {
        "title": f"{dataset.title} — {settings.SITE_NAME}",
        "publisher": str(settings.SITE_NAME),
        "licence": LICENCE,
        "language": language,
        "filters": selected,
        "data_date": (updated or timezone.now()).date().isoformat(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    records = _records(rows, dataset, request, language)
    if extension == "json":
        stream, content_type = _json_stream(records, header), "application/json"
    else:
        stream, content_type = _csv_stream(records), "text/csv; charset=utf-8"
    chunks = (chunk.encode() for chunk in stream)  # lazy: nothing is read until the first chunk is asked for
    body = chunks
    if pages_cached():
        # Written once until the lists it reads change, per day (events' state and «upcoming» change at
        # midnight), language, selection and site address (its URLs are absolute).
        key = f"{request.scheme}://{request.get_host()}?{request.GET.urlencode()}&day={timezone.localdate()}"
        origin = hashlib.sha256(key.encode()).hexdigest()[:16]
        body = cached_file(f"{name}-{language}-{origin}.{extension}", chunks, group=name)
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
