"""The organisation's name is the one setting, in the language of the page wherever it is printed."""

import json
import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import make_event


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_json_ld_and_open_data_name_the_organisation_as_the_site_does(client, language):
    with translation.override(language):
        name = str(settings.SITE_NAME)
    event = make_event()
    page = client.get(f"/{language}/events/{event.pk}/").text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(block)["organizer"]["name"] == name
    header = json.loads(b"".join(client.get(f"/{language}/open-data/events.json").streaming_content))
    assert header["publisher"] == name
    assert header["title"].endswith(f" — {name}")
    assert name in client.get(f"/{language}/").text  # the page header
