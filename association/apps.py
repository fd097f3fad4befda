from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Association")

    def ready(self) -> None:
        from association import structured_logging
        from association.models import NewsItem, Page, SiteSettings, TimelineEntry
        from core.registry import SearchSpec, content_register

        content_register(
            Page,
            rich=("body",),
            search=SearchSpec("page", _("Pages"), "title", ("summary", "body")),
            status_position=4,
        )
        content_register(TimelineEntry)
        content_register(
            NewsItem,
            rich=("body",),
            image="image",
            search=SearchSpec("news", _("News"), "title", ("summary", "body")),
            status_position=5,
        )
        # Not published nor searched: registered so that the roles cover it and saving it refreshes the pages.
        content_register(SiteSettings)
        structured_logging.connect_signals()
