from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Association")

    def ready(self) -> None:
        from association import cache, search

        search.connect_signals()
        cache.connect_signals()
