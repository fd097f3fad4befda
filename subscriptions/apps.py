from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("E-mail subscriptions")

    def ready(self) -> None:
        from core.roles import EDITOR, VIEWER, roles_grant

        # Editors see and delete subscribers' addresses; viewers see the figures, not the addresses.
        roles_grant(
            EDITOR,
            "subscriptions.view_subscription",
            "subscriptions.delete_subscription",
            "subscriptions.view_address",
        )
        roles_grant(VIEWER, "subscriptions.view_subscription")
