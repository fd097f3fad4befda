from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Association")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from association import cache, images, rich_text, search, structured_logging
        from association.roles import roles_ensure

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="association-roles")

        images.connect_signals()
        rich_text.connect_signals()
        search.connect_signals()
        cache.connect_signals()
        structured_logging.connect_signals()
