"""Screenshots of the main public pages for people to look at (not a test).

    .venv/bin/python bench/screenshots.py http://127.0.0.1:8000 [--out var/screenshots]

Renders each page in ru/en/vi at 1280 and 360 px wide (full page) with Debian's Chromium.
Object pages (a partner, a country, an event, a society, a news item) are found by
following the first link of their list, so any content works, the seed content best.
"""

import argparse
import re
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ["ru", "en", "vi"]
WIDTHS = [1280, 360]
LIST_PAGES = {
    "home": "/",
    "partners": "/partners/",
    "events": "/events/",
    "societies": "/societies/",
    "news": "/news/",
    "about": "/pages/about/",
    "history": "/pages/history/",
    "open-data": "/open-data/",
    "search": "/search/?q=Hanoi",
    "not-found": "/no-such-page/",
}
# name: (list page, CSS selector of the first link to an object of that kind)
OBJECT_PAGES = {
    "partner": ("/partners/", "main .partner-cards a.partner-name"),
    "country": ("/partners/", "main .region h3 a"),
    "event": ("/events/", "main .event-list a"),
    "society": ("/societies/", "main .society-cards a"),
    "news-item": ("/news/", "main .news-cards a"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for lang in LANGUAGES:
                urls = {name: f"/{lang}{path}" for name, path in LIST_PAGES.items()}
                for name, (list_path, selector) in OBJECT_PAGES.items():
                    page.goto(urljoin(options.base_url, f"/{lang}{list_path}"))
                    link = page.locator(selector).first
                    if link.count():
                        urls[name] = link.get_attribute("href")
                for name, path in urls.items():
                    page.goto(urljoin(options.base_url, path))
                    overflow = page.evaluate("document.documentElement.scrollWidth") - width
                    file = options.out / f"{width}-{lang}-{re.sub(r'[^a-z-]', '', name)}.png"
                    page.screenshot(path=str(file), full_page=True)
                    print(f"{file}{f'  (scrolls sideways by {overflow}px)' if overflow > 0 else ''}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
