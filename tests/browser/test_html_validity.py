"""Every public page type in every language is valid HTML for the Nu Html Checker (vnu.jar).

vnu.jar (~32 MB) is not in git: `make vnu` (run by `make test`) fetches it into var/vnu/.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import LANGUAGES

VNU_JAR = Path(os.environ.get("VNU_JAR", Path(settings.BASE_DIR) / "var" / "vnu" / "vnu.jar"))
BAD_INPUT = [
    "/events/?year=abc&country=ZZ&date_from=2024-05-01&date_to=2024-01-01&kind=nope",
    "/partners/?region=nowhere&ties_from=abc&ties_to=20000",
    "/search/?q=zzzzzz",
]


@pytest.fixture(scope="module")
def java():
    java = shutil.which("java")
    if not java:
        pytest.skip("java is not installed: the Nu Html Checker needs Java 11+")
    if not VNU_JAR.exists():
        pytest.skip(f"{VNU_JAR} is missing: run `make vnu` (needs npm and the network once)")
    return java


def vnu_errors(java: str, documents: dict[str, str], folder: Path) -> list[str]:
    """Check all documents in one JVM start; return "file:line: message" for each error."""
    files = []
    for number, (name, html) in enumerate(documents.items()):
        path = folder / f"{number:03d}.html"
        path.write_text(f"<!-- {name} -->\n{html}", encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    names = {f"file:{path}": name for path, name in zip(files, documents, strict=True)}
    return [
        f"{names.get(message.get('url'), message.get('url'))}:{message.get('lastLine', '?')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]


def test_every_page_type_is_valid_html(java, client, pages, tmp_path):
    documents = {}
    for lang in LANGUAGES:
        for kind in pages:
            url = kind.urls[lang]
            response = client.get(url)
            assert response.status_code == kind.status, url
            documents[url] = response.content.decode()
        # forms shown back with values that were not understood, and a search that finds nothing
        for url in BAD_INPUT:
            response = client.get(f"/{lang}{url}")
            assert response.status_code == 200, url
            documents[f"/{lang}{url}"] = response.content.decode()
    documents.update(subscription_results(client))
    errors = vnu_errors(java, documents, tmp_path)
    assert not errors, "\n".join(errors)


def subscription_results(client) -> dict[str, str]:
    """What the subscription forms answer: a refused address, a bad selection, leaving."""
    from subscriptions.models import Subscription
    from subscriptions.tokens import MANAGE, token_make

    documents = {}
    for lang in LANGUAGES:
        refused = client.post(f"/{lang}/subscriptions/?country=VN", {"email": "nope", "frequency": "weekly"})
        documents[f"/{lang}/subscriptions/ (refused address)"] = refused.content.decode()
        bad = client.get(f"/{lang}/subscriptions/?country=ZZ&year=abc")
        documents[f"/{lang}/subscriptions/?country=ZZ&year=abc"] = bad.content.decode()
        gone = client.get(f"/{lang}/subscriptions/manage/forged/")
        documents[f"/{lang}/subscriptions/manage/forged/"] = gone.content.decode()
    member = Subscription.objects.get(email="member@example.org")
    left = client.post(f"/ru/subscriptions/unsubscribe/{token_make(member, MANAGE)}/")
    documents["/ru/subscriptions/unsubscribe/ (done)"] = left.content.decode()
    return documents
