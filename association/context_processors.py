from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from association.models import Page, SiteSettings
from core.cache import derived
from core.i18n import translated_columns

#: Short menu labels for the association's core pages; other pages show their title.
MENU_LABELS = {"about": _("About us"), "history": _("History")}

OG_LOCALES = {"ru": "ru_RU", "en": "en_GB", "vi": "vi_VN"}


def site(request):
    """Site chrome: canonical and alternate URLs of the current page, the menu's pages, the contacts."""
    path = request.path
    origin = f"{request.scheme}://{request.get_host()}"
    alternates = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        alternates.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                # the switcher keeps the query string: same filters, other language
                "url": translate_url(request.get_full_path(), code),
                "absolute_url": origin + url,
            }
        )
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "site_name": settings.SITE_NAME,
        "language_alternates": alternates,
        "canonical_url": origin + path,
        "x_default_url": origin + translate_url(path, settings.LANGUAGE_CODE),
        "og_locale": OG_LOCALES.get(language, language),
        "menu_pages": derived(f"menu-pages:{language}", menu_pages),
        # The contacts in the footer: read once per content version, not on every page.
        "site_settings": derived("site-settings", SiteSettings.current),
    }


def menu_pages() -> list[dict]:
    """The published pages of the main menu, in the current language."""
    pages = Page.objects.published().filter(position__gt=0).only("slug", *translated_columns("title"))
    return [
        {"slug": page.slug, "url": page.get_absolute_url(), "label": str(MENU_LABELS.get(page.slug, page.title))}
        for page in pages
    ]
