from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Staff tools")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Each module connects its side effects to every registered content model.
        from core import cache, cache_tags, images, rich_text, search, translation_status  # noqa: F401
        from core.roles import roles_ensure

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="core-roles")
