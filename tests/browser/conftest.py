"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an asyncio event loop in the test thread; Django refuses ORM
calls from a thread with a running loop unless told the code is not really async. The
tests only touch the database between browser calls, so the standard switch is safe.
"""

import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ["ru", "en", "vi"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: browser tests need Debian's Chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, live_server, **options):
    # bypass_csp: axe-core is injected as a script the site's own policy rightly refuses.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    host = urlsplit(live_server.url).netloc
    page.requests = []  # every URL the page asked for, to prove nothing leaves the site
    page.on("request", lambda request: page.requests.append(request.url))
    page.live_host = host
    return context, page


@pytest.fixture
def page(browser, live_server, transactional_db):
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server, transactional_db):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def narrow_page(browser, live_server, transactional_db):
    context, page = _new_page(browser, live_server, viewport={"width": 360, "height": 740})
    yield page
    context.close()


@pytest.fixture
def site(db):
    from tests.browser.site import build_site

    return build_site()


@pytest.fixture
def pages(site) -> list[SimpleNamespace]:
    from tests.browser.site import page_types

    return page_types(site)
