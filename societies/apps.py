from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocietiesConfig(AppConfig):
    name = "societies"
    verbose_name = _("Societies")

    def ready(self) -> None:
        from core.registry import SearchSpec, content_register
        from societies.models import Society

        content_register(
            Society,
            rich=("description",),
            image="logo",
            search=SearchSpec(
                "society",
                _("Societies"),
                "name",
                ("description", "address"),
                places=lambda society: [name for country in society.countries.all() for name in country.all_names()],
                follows=("countries",),
                prefetch=("countries",),
                suggest=True,
            ),
            links=("countries",),
            status_position=3,
        )
