"""One base for what can be a draft: events, news and pages keep their columns and share published()."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone, translation

from association.models import NewsItem, Page
from core.publishing import PublishableModel, PublishedQuerySet
from events.models import Event, EventQuerySet
from tests.factories import make_event

MODELS = [Page, NewsItem, Event]


@pytest.mark.parametrize("model", MODELS)
def test_the_publishable_models_share_the_base_and_its_queryset(model):
    assert issubclass(model, PublishableModel)
    assert isinstance(model.objects.all(), PublishedQuerySet)
    assert {"is_published", "published_on"} <= {field.name for field in model._meta.concrete_fields}


def test_events_keep_their_own_queryset_on_the_shared_one():
    assert issubclass(EventQuerySet, PublishedQuerySet)
    assert "published" not in vars(EventQuerySet)
    assert isinstance(Event.objects.published(), EventQuerySet)


@pytest.mark.parametrize(
    ("model", "published_index", "date_index", "help_text"),
    [
        (Page, False, False, "Unticked, the record is a draft that only staff see."),
        (NewsItem, False, True, "Unticked, the record is a draft that only staff see."),
        (Event, True, True, "Unticked, the event is a draft that only staff see."),
    ],
)
def test_each_model_keeps_its_indexes_and_help(model, published_index, date_index, help_text):
    is_published, published_on = model._meta.get_field("is_published"), model._meta.get_field("published_on")
    assert (is_published.db_index, published_on.db_index) == (published_index, date_index)
    with translation.override("en"):
        assert str(is_published.help_text) == help_text
    assert published_on.default is timezone.localdate


@pytest.mark.django_db
def test_published_leaves_out_drafts_and_what_comes_later():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for model, make in (
        (Page, lambda **fields: Page.objects.create(title_ru="Страница", **fields)),
        (NewsItem, lambda **fields: NewsItem.objects.create(title_ru="Новость", **fields)),
        (Event, make_event),
    ):
        public, draft, later = make(), make(is_published=False), make(published_on=tomorrow)
        found = set(model.objects.published().values_list("pk", flat=True))
        assert public.pk in found
        assert not {draft.pk, later.pk} & found


@pytest.mark.parametrize(("model", "date"), [(Page, "published_on"), (NewsItem, "published")])
def test_the_admin_form_puts_publication_after_the_record_own_fields(model, date):
    """News are dated by a year, a month or a day: one partial-date field, ``published``."""
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_active=True, is_staff=True)
    fieldsets = admin.site._registry[model].get_fieldsets(request)
    fields = [name for _title, options in fieldsets for name in options["fields"]]
    assert fields[-2:] == ["is_published", date]
