from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from association.models import Page


def site(request):
    """Site chrome: the language alternates of the current page and the menu's pages."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": get_language_info(code)["name_local"], "url": translate_url(path, code)}
        for code, _name in settings.LANGUAGES
    ]
    return {
        "site_name": settings.SITE_NAME,
        "language_alternates": alternates,
        "menu_pages": Page.objects.published().filter(position__gt=0).only("slug", "title", "position"),
    }
