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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_subscription_flow_passes_axe_at_each_step(page, site, lang):
    """The pages a form leads to: a refused address, the request sent, a change saved, leaving done."""
    found = {}
    page.goto(f"/{lang}/subscriptions/?country=VN")
    page.fill("input[name=email]", "not an address")
    page.click("form.subscription-form button[type=submit]")
    assert page.locator(".field-error").count() == 1
    found["refused address"] = axe_violations(page)
    page.fill("input[name=email]", "reader@example.org")
    page.click("form.subscription-form button[type=submit]")
    page.wait_for_url(f"**/{lang}/subscriptions/requested/")
    found["requested"] = axe_violations(page)
    page.goto(f"/{lang}/subscriptions/manage/{site.manage_token}/")
    page.check("input[name=frequency][value=weekly]")
    page.click("form.subscription-change button[type=submit]")
    assert page.locator(".notice").count() == 1
    found["changed"] = axe_violations(page)
    page.click("button.danger")
    assert page.locator("main h1").count() == 1
    found["unsubscribed"] = axe_violations(page)
    found = {step: violations for step, violations in found.items() if violations}
    assert not found, found
