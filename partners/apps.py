from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from core.registry import SearchSpec, content_register
        from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region

        content_register(Region, status_position=7)
        content_register(Country, status_position=6)
        content_register(
            Partner,
            rich=("description",),
            image="image",
            search=SearchSpec("partner", _("Partners"), "name", ("description",)),
            status_position=0,
        )
        content_register(PartnerStatus)
        content_register(
            Agreement,
            public=lambda manager: manager.filter(partner__in=Partner.objects.published()),
            status_position=1,
        )
        content_register(Milestone)
