"""Staff text never runs as script: every payload, in every rich and plain field, in all three languages."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from association.models import NewsItem, Page, TimelineEntry
from core.rich_text import clean_rich
from partners.models import PartnerStatus
from tests.factories import make_agreement, make_country, make_event, make_milestone, make_partner, make_society
from tests.xss_payloads import MARKER, PAYLOADS

pytestmark = pytest.mark.django_db
LANGUAGES = ("ru", "en", "vi")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}


class Checker(HTMLParser):
    """Collects every way a payload could run: elements, handlers, URLs, script bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "//evil", "http://evil")):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and MARKER in value:
                self.problems.append(f"<{tag} style={value!r}>")
        if tag in {"iframe", "object", "embed", "base", "math"}:
            self.problems.append(f"<{tag}>")
        if tag == "style":
            self.script_type = "style"
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        if tag == "link" and "evil.example" in attributes.get("href", ""):
            self.problems.append("<link evil>")
        if tag == "script":
            self.script_type = attributes.get("type", "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.script_type = None

    def handle_data(self, data):
        if self.script_type is None:
            return
        if self.script_type == "application/ld+json":
            json.loads(data)  # still one valid JSON document: nothing broke out of it
        elif MARKER in data or "evil.example" in data:
            self.problems.append(f"<script>{data[:60]}</script>")


def assert_inert(html: str) -> None:
    checker = Checker()
    checker.feed(html)
    assert checker.problems == []


def texts(payload: str, *fields: str) -> dict:
    return {f"{field}_{code}": payload for field in fields for code in LANGUAGES}


@pytest.fixture(params=range(len(PAYLOADS)), ids=[f"payload{n}" for n in range(len(PAYLOADS))])
def payload(request):
    return PAYLOADS[request.param]


def records_with(payload: str) -> list:
    country = make_country(**texts(payload, "name"))
    partner = make_partner(country=country, aliases=[payload], **texts(payload, "name", "description"))
    PartnerStatus.objects.create(
        partner=partner, status="active", date_on="2020-01-01", date_precision=1, source=payload
    )
    agreement = make_agreement(partner, **texts(payload, "title"))
    make_milestone(agreement, "2020-05-01", **texts(payload, "label"))
    society = make_society(
        countries=[country],
        phone=payload[:50],
        website=payload,
        email=payload,
        **texts(payload, "name", "description", "address"),
    )
    event = make_event(partners=[partner], societies=[society], **texts(payload, "title", "description"))
    page = Page.objects.create(slug="xss", **texts(payload, "title", "summary", "body"))
    TimelineEntry.objects.create(page=page, year=1990, **texts(payload, "label"))
    news = NewsItem.objects.create(slug="xss-news", source_name=payload, **texts(payload, "title", "summary", "body"))
    return [partner, country, society, event, page, news]


def test_payloads_render_inert_on_public_pages(client, payload):
    records = records_with(payload)
    for language in LANGUAGES:
        with translation.override(language):
            urls = [record.get_absolute_url() for record in records]
            urls += [reverse("partners:list"), reverse("events:list"), reverse("societies:list")]
            urls += [reverse("association:news"), reverse("association:home")]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_is_sanitised_when_saved(payload):
    stored = clean_rich(payload)
    if stored and "<" in stored:
        assert_inert(stored)
    event = make_event(**texts(payload, "description"))
    event.refresh_from_db()
    assert {event.description_ru, event.description_en, event.description_vi} == {stored}


def test_imported_paragraphs_stay_paragraphs():
    event = make_event(description_ru="<p>Первый абзац</p><p>Второй <em>абзац</em></p>")
    event.refresh_from_db()
    assert event.description_ru == "<p>Первый абзац</p><p>Второй <em>абзац</em></p>"
    plain = make_event(description_ru="Строка с < и & внутри")
    plain.refresh_from_db()
    assert plain.description_ru == "Строка с < и & внутри"
