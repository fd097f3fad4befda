"""Bulk writes take the same side effects as save(): sanitised, stamped, in history, indexed, cache invalidated."""

import pytest

from core.bulk import content_bulk_create, content_bulk_update
from core.cache_tags import ANY, version
from core.models import SearchEntry
from core.registry import SearchSpec, content_register, content_unregister
from tests.core.leaflets.models import Leaflet

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    content_register(Leaflet, rich=("body",), search=SearchSpec("leaflet", "Leaflets", "title", ("body",)))
    yield
    content_unregister(Leaflet)


def test_bulk_create_applies_what_save_would(registered, django_assert_max_num_queries):
    started = version(ANY)
    leaflets = [Leaflet(title_ru=f"Листовка {n}", body_ru="<p>Текст</p><script>x()</script>") for n in range(30)]
    with django_assert_max_num_queries(8):
        content_bulk_create(leaflets)
    stored = Leaflet.objects.order_by("pk")
    assert stored.count() == 30
    assert all("<script>" not in leaflet.body_ru for leaflet in stored)
    assert all(leaflet.text_edited_at.get("ru") for leaflet in stored)
    assert Leaflet.history.filter(history_type="+").count() == 30
    assert SearchEntry.objects.filter(kind="leaflet").count() == 30 * 3
    assert version(ANY) != started


def test_bulk_update_records_history_and_reindexes(registered):
    leaflets = content_bulk_create([Leaflet(title_ru="Старое"), Leaflet(title_ru="Старое")])
    for leaflet in leaflets:
        leaflet.title_ru = "Новое"
    content_bulk_update(leaflets, ["title_ru", "text_edited_at"])
    assert Leaflet.history.filter(history_type="~").count() == 2
    assert set(SearchEntry.objects.filter(kind="leaflet", language="ru").values_list("title", flat=True)) == {"Новое"}


def test_unregistered_records_are_refused():
    with pytest.raises(ValueError, match="not registered"):
        content_bulk_create([Leaflet(title_ru="x")])
    assert not Leaflet.objects.exists()
