from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Association")

    def ready(self) -> None:
        from association.search import connect_signals

        connect_signals()
