from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from core.i18n import translated_values
        from core.publishing import public
        from core.registry import SearchSpec, content_register
        from events.models import Event, ReportImport

        content_register(
            Event,
            rich=("description",),
            image="image",
            # Found by its partners' names too («Осака» finds the visits to Osaka), the public partners only.
            search=SearchSpec(
                "event",
                _("Events"),
                "title",
                ("description", "report_text"),
                places=lambda event: [
                    name for partner in public(event.partners.all()) for name in translated_values(partner, "name")
                ],
                follows=("partners",),
                prefetch=("partners",),
            ),
            links=("partners", "reported_under", "societies"),
            status_position=2,
        )
        content_register(ReportImport, translators=False)
