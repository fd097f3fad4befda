"""One registration makes a model content: indexed, invalidating the cache, sanitised, listed for staff."""

import pytest
from django.utils import translation

from core.cache_tags import ANY, version
from core.models import SearchEntry
from core.registry import SearchSpec, content_for, content_register, content_unregister
from core.roles import EDITOR, TRANSLATOR_VI, roles
from core.search import search
from core.translation_status import translation_status
from tests.core.leaflets.models import Leaflet

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    content_register(
        Leaflet,
        rich=("body",),
        search=SearchSpec("leaflet", "Leaflets", "title", ("body",)),
        status_position=99,
    )
    yield
    content_unregister(Leaflet)


def test_an_unregistered_model_has_no_side_effects():
    leaflet = Leaflet.objects.create(title_ru="Листовка", body_ru="<script>alert(1)</script>")
    assert content_for(Leaflet) is None
    assert "<script>" in Leaflet.objects.get(pk=leaflet.pk).body_ru
    assert not SearchEntry.objects.filter(kind="leaflet").exists()


def test_rich_text_is_sanitised_on_save(registered):
    leaflet = Leaflet.objects.create(title_ru="Листовка", body_ru='<p onclick="x()">Текст</p><script>alert(1)</script>')
    body = Leaflet.objects.get(pk=leaflet.pk).body_ru
    assert "<script>" not in body
    assert "onclick" not in body
    assert "Текст" in body


def test_saved_record_is_indexed_in_every_language_and_found(registered):
    Leaflet.objects.create(title_ru="Листовка о Ханое", title_en="A leaflet on Hanoi")
    assert SearchEntry.objects.filter(kind="leaflet").count() == 3
    with translation.override("en"):
        groups = search("Hanoi", "en")
    assert [(group.kind, [hit.title for hit in group.hits]) for group in groups] == [
        ("leaflet", ["A leaflet on Hanoi"])
    ]


def test_draft_is_not_indexed_and_deletion_forgets(registered):
    leaflet = Leaflet.objects.create(title_ru="Черновик", is_published=False)
    assert not SearchEntry.objects.filter(kind="leaflet").exists()
    leaflet.is_published = True
    leaflet.save()
    assert SearchEntry.objects.filter(kind="leaflet", object_id=leaflet.pk).count() == 3
    leaflet.delete()
    assert not SearchEntry.objects.filter(kind="leaflet").exists()


def test_save_and_delete_invalidate_the_page_cache(registered):
    before = version(ANY)
    leaflet = Leaflet.objects.create(title_ru="Листовка")
    after_save = version(ANY)
    assert after_save != before
    leaflet.delete()
    assert version(ANY) != after_save


def test_listed_in_translation_status(registered):
    Leaflet.objects.create(title_ru="Листовка", title_en="Leaflet")
    row = next(row for row in translation_status() if row.model is Leaflet)
    assert row.total == 1
    assert row.missing["en"] == {"title": 0, "body": 0}
    assert row.missing["vi"] == {"title": 1, "body": 0}
    assert row.links["changelist"] == "/admin/leaflets/leaflet/"


def test_roles_cover_it(registered):
    assert "leaflets.add_leaflet" in roles()[EDITOR]
    assert "leaflets.change_leaflet" in roles()[TRANSLATOR_VI]


def test_unregistering_disconnects_everything():
    content_register(Leaflet, rich=("body",), search=SearchSpec("leaflet", "Leaflets", "title", ()))
    content_unregister(Leaflet)
    started = version(ANY)
    Leaflet.objects.create(title_ru="Листовка", body_ru="<script>x</script>")
    assert not SearchEntry.objects.filter(kind="leaflet").exists()
    assert version(ANY) == started
    assert "leaflets.add_leaflet" not in roles()[EDITOR]
