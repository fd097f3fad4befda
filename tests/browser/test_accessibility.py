"""WCAG 2.1 A/AA with axe-core (vendored under vendor/axe-core) on every page type in every language."""

from pathlib import Path

import pytest

from tests.browser.conftest import LANGUAGES

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert result["passes"], f"axe checked nothing on {page.url}"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_passes_axe(page, pages, lang):
    found = {}
    for kind in pages:
        url = kind.urls[lang]
        response = page.goto(url)
        assert response.status == kind.status, url
        if violations := axe_violations(page):
            found[url] = violations
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(items) for url, items in found.items())
