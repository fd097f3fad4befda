from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from core.registry import SearchSpec, content_register
        from events.models import Event, ReportImport

        content_register(
            Event,
            rich=("description",),
            image="image",
            search=SearchSpec("event", _("Events"), "title", ("description", "report_text")),
            links=("partners", "reported_under", "societies"),
            status_position=2,
        )
        content_register(ReportImport, translators=False)
