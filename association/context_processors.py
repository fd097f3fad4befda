from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, get_language_info, override
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
    paths = language_paths(request)
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))  # as request.get_full_path() has it
    alternates = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            # the switcher keeps the query string: same filters, other language
            "url": f"{paths[code]}?{query}" if query else paths[code],
            "absolute_url": origin + paths[code],
        }
        for code, _name in settings.LANGUAGES
    ]
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "site_name": settings.SITE_NAME,
        "language_alternates": alternates,
        "canonical_url": origin + path,
        "x_default_url": origin + paths[settings.LANGUAGE_CODE],
        "og_locale": OG_LOCALES.get(language, language),
        "menu_pages": derived(f"menu-pages:{language}", menu_pages),
        # The contacts in the footer: read once per content version, not on every page.
        "site_settings": derived("site-settings", SiteSettings.current),
    }


def language_paths(request) -> dict[str, str]:
    """The current page's path in each language: ``translate_url`` with the request's own resolution.

    ``translate_url`` resolves the path again for every language; the view's match is at hand.
    A path that resolves to nothing (a 404 page) stays as it is, as with ``translate_url``.
    """
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return {code: request.path for code, _name in settings.LANGUAGES}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    paths = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            try:
                paths[code] = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                paths[code] = request.path
    return paths


def menu_pages() -> list[dict]:
    """The published pages of the main menu, in the current language."""
    pages = Page.objects.published().filter(position__gt=0).only("slug", *translated_columns("title"))
    return [
        {"slug": page.slug, "url": page.get_absolute_url(), "label": str(MENU_LABELS.get(page.slug, page.title))}
        for page in pages
    ]
