"""Whatever is edited, every page the cache serves is the page a fresh render gives.

The tests of ``test_cache.py`` name the pages one edit must reach. This sweep checks what
they cannot list: each record of every registered content model is edited in turn (its
texts, its choices, its numbers and dates, its flags, its links), then copied (a new
record beside it, with its links), then deleted; after each change every public page
type is requested. A page the cache serves (``X-Cache: HIT``) must be the page rendered
with no cache at all; one that is not names a view showing something its cache tags do
not cover (see ``core.cache_tags``: a view showing more than its subject, its
attachments and its neighbours says so with ``depends_on``).
"""

from __future__ import annotations

import difflib
import itertools
import re
import string
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.db import models
from django.test import Client, override_settings

from association.models import NewsItem, Page, SiteSettings, TimelineEntry
from core.partial_dates import Precision
from core.registry import contents
from tests.factories import (
    make_agreement,
    make_country,
    make_event,
    make_milestone,
    make_partner,
    make_society,
    make_status,
)

NO_CACHE = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    "PUBLIC_CACHE_SECONDS": 0,
    "DERIVED_CACHE_SECONDS": 0,
}


@pytest.fixture
def world(db, settings):
    """A little of everything: two countries, partners with agreements, statuses and events, a draft of each kind."""
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    before = {entry.model: set(entry.model._default_manager.values_list("pk", flat=True)) for entry in contents()}
    home = make_country()
    abroad = make_country()
    linked = make_partner(country=home)
    neighbour = make_partner(country=home)
    far = make_partner(country=abroad)
    make_partner(country=abroad, is_published=False)
    agreement = make_agreement(linked, valid_from_year=2015)
    make_milestone(agreement, "2019-06", label_ru="Продлено", label_en="Extended", label_vi="Gia hạn")
    make_status(linked, "active", "2023")
    society = make_society(countries=[home])
    make_society(countries=[abroad], is_published=False)
    event = make_event(partners=[linked], societies=[society], report_year=2024, start="2024-03-05")
    make_event(partners=[far], report_year=2023, start="2023-10")
    make_event(partners=[neighbour], start="2024-05-01", is_published=False)
    page = Page.objects.create(slug="history", title_ru="История", title_en="History", title_vi="Lịch sử", position=1)
    TimelineEntry.objects.create(page=page, year=1992, label_ru="Основание", label_en="Founded", label_vi="Thành lập")
    NewsItem.objects.create(slug="a-visit", title_ru="Визит", title_en="A visit", title_vi="Chuyến thăm")
    SiteSettings.objects.update_or_create(singleton=True, defaults={"address": "St Petersburg", "phone": "+7 812"})
    urls = [
        "/en/",
        "/en/partners/",
        f"/en/partners/?region={home.region.code}",
        f"/en/partners/countries/{home.slug}/",
        f"/en/partners/countries/{abroad.slug}/",
        *(f"/en/partners/{partner.slug}/" for partner in (linked, neighbour, far)),
        "/en/events/",
        "/en/events/?year=2024",
        f"/en/events/{event.pk}/",
        f"/en/events/{event.pk}/event.ics",
        "/en/events/2024/review/",
        "/en/events/feed.atom",
        "/en/events/calendar.ics",
        f"/en/events/partners/{linked.slug}/feed.atom",
        f"/en/events/societies/{society.slug}/feed.atom",
        f"/en/events/countries/{home.code}/feed.atom",
        "/en/societies/",
        f"/en/societies/{society.slug}/",
        f"/en/pages/{page.slug}/",
        "/en/news/",
        "/en/news/a-visit/",
        "/en/search/?q=city",
        "/en/open-data/",
        "/sitemap.xml",
        "/ru/",
        f"/ru/partners/{linked.slug}/",
        f"/vi/events/{event.pk}/",
    ]
    edited = [
        record
        for model, existing in before.items()
        for record in model._default_manager.exclude(pk__in=existing).order_by("pk")
    ]
    return urls, edited


def edits_of(record: models.Model) -> Iterator[tuple[str, Callable[[], None]]]:
    """Each change staff can make to ``record`` in the admin, as (what, how): a field in every language at once, or
    one link."""
    marker = itertools.count(1)
    by_field: dict[str, list[models.Field]] = {}
    for field in record._meta.concrete_fields:
        if field.editable and not field.primary_key and not field.unique and not getattr(field, "auto_now", False):
            by_field.setdefault(getattr(field, "translated_field", field).name, []).append(field)
    for name, fields in by_field.items():
        edited = [field for field in fields if hasattr(field, "translated_field")] or fields
        values = {field.attname: changed_value(field, getattr(record, field.attname), next(marker)) for field in edited}
        values = {attname: value for attname, value in values.items() if value is not None}
        if values:
            yield name, setter(record, values)
    for field in record._meta.many_to_many:
        linked = list(getattr(record, field.name).all())
        if linked:
            yield (
                f"{field.name} unlinked",
                lambda field=field, first=linked[0]: getattr(record, field.name).remove(first),
            )


def changed_value(field: models.Field, value, n: int):
    if field.choices == Precision.choices:
        return None  # a partial date's precision changes with its date, never alone
    if field.choices:
        others = [choice for choice, _label in field.flatchoices if choice != value and choice not in ("", None)]
        return others[0] if others else None
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, (models.SlugField, models.URLField, models.EmailField, models.FileField)):
        return None  # a new address or file is a new page, not an edit of one
    if isinstance(field, (models.CharField, models.TextField)):
        new = f"{value} edit{n}" if value else f"edit{n}"
        return new if field.max_length is None or len(new) <= field.max_length else None
    if isinstance(field, models.DateField) and value:
        return value.replace(year=value.year - 1)  # the first day of a year or a month stays one
    if isinstance(field, (models.PositiveSmallIntegerField, models.PositiveIntegerField)) and value:
        return value - 1
    return None


def setter(record: models.Model, values: dict) -> Callable[[], None]:
    def edit() -> None:
        for attname, value in values.items():
            setattr(record, attname, value)
        record.save()

    return edit


def copy_of(record: models.Model) -> models.Model | None:
    """A new record like ``record``, with its links (a second milestone of the agreement, a second partner of the
    country), or None for a model that has one record only."""
    copy = type(record)._default_manager.get(pk=record.pk)
    copy.pk, copy._state.adding = None, True
    for field in record._meta.concrete_fields:
        if field.unique and not field.primary_key:
            if not field.editable:
                return None  # the site settings
            setattr(copy, field.attname, unused_value(field, getattr(record, field.attname)))
    copy.save()
    for field in record._meta.many_to_many:
        getattr(copy, field.name).set(getattr(record, field.name).all())
    return copy


def unused_value(field: models.Field, value: str | None) -> str | None:
    """A value of a unique text field that no record has: a blank slug is made on save, a code is found."""
    if value is None:
        return None  # unique but null: an event that came from no report
    if isinstance(field, models.SlugField) and field.blank:
        return ""
    if len(value) + 3 <= field.max_length:
        candidates = (f"{value}-{n}" for n in itertools.count(2))
    else:
        candidates = (
            "".join(letters) for letters in itertools.product(string.ascii_uppercase, repeat=field.max_length)
        )
    manager = field.model._default_manager
    return next(candidate for candidate in candidates if not manager.filter(**{field.name: candidate}).exists())


def stale_pages(client: Client, urls: list[str], compared: list[str]) -> list[str]:
    """The pages the cache served that differ from a fresh render, with the first lines that differ."""
    served = {url: client.get(url) for url in urls}
    compared += [url for url, response in served.items() if response["X-Cache"] == "HIT"]
    stale = []
    with override_settings(**NO_CACHE):
        for url, response in served.items():
            if response["X-Cache"] != "HIT":
                continue
            fresh = Client().get(url)
            if comparable(fresh.content) != comparable(response.content):
                diff = difflib.unified_diff(
                    response.content.decode().splitlines(), fresh.content.decode().splitlines(), n=0, lineterm=""
                )
                stale.append(f"{url}: " + " | ".join(list(diff)[2:6]))
    return stale


def comparable(content: bytes) -> bytes:
    """An Atom feed with no entry says it was updated at the time it is made (Django's syndication): not content."""
    if content.startswith(b"<?xml") and b"<feed" in content and b"<entry>" not in content:
        return re.sub(rb"<updated>[^<]*</updated>", b"", content, count=1)
    return content


def test_every_page_served_from_the_cache_after_any_edit_is_the_fresh_page(world, client):
    urls, records = world
    for url in urls:
        assert client.get(url).status_code == 200, url
    compared: list[str] = []
    assert stale_pages(client, urls, compared) == []
    assert len(compared) == len(urls)  # all served from the cache
    problems, edits = [], 0
    for record in records:
        for what, edit in edits_of(record):
            edit()
            edits += 1
            stale = stale_pages(client, urls, compared)
            problems += [f"{record._meta.label}#{record.pk} {what} → {page}" for page in stale]
    added = []
    for record in records:
        if (copy := copy_of(record)) is not None:
            added.append(copy)
            problems += [f"{record._meta.label} added → {page}" for page in stale_pages(client, urls, compared)]
    for record in reversed(records + added):  # the copies, then what hangs below a record before the record
        label = f"{record._meta.label}#{record.pk}"
        record.delete()
        problems += [f"{label} deleted → {page}" for page in stale_pages(client, urls, compared)]
    assert problems == []
    # Not a sweep of misses: an edit reaches every list, yet a third of the pages came from the cache and were compared.
    assert edits > 100 and len(compared) > edits * len(urls) / 4
    assert len(added) == len(records) - 1  # all but the site settings
