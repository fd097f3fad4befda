import pytest

from tests.events.test_detail import json_ld
from tests.factories import make_event


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_json_ld_declares_the_language_of_the_russian_text_it_shows(client, language):
    event = make_event(title_ru="Визит делегации", title_en="", title_vi="", description_ru="<p>Подробности</p>")
    data = json_ld(client.get(f"/{language}/events/{event.pk}/").text)
    assert (data["name"], data["inLanguage"]) == ("Визит делегации", "ru")
    assert data["description"] == "Подробности"


@pytest.mark.django_db
def test_json_ld_of_a_translated_event_is_in_the_pages_language(client):
    event = make_event(title_en="Forum", title_vi="", description_ru="<p>Подробности</p>")
    english = json_ld(client.get(f"/en/events/{event.pk}/").text)
    assert (english["name"], english["inLanguage"]) == ("Forum", "en")
    assert "description" not in english  # Russian only: not to be passed off as English
    vietnamese = json_ld(client.get(f"/vi/events/{event.pk}/").text)
    assert (vietnamese["name"], vietnamese["inLanguage"]) == ("Forum", "en")
