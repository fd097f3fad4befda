from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from core.i18n import translated_values
        from core.registry import SearchSpec, content_register
        from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region

        content_register(Region, status_position=7)
        # Searched by every name, in every language: «Китай» lists the country, then its partners.
        content_register(
            Country,
            search=SearchSpec("country", _("Countries"), "name", names=lambda country: country.aliases, suggest=True),
            status_position=6,
        )
        content_register(
            Partner,
            rich=("description",),
            image="image",
            search=SearchSpec(
                "partner",
                _("Partners"),
                "name",
                ("description",),
                names=lambda partner: partner.aliases,  # former names and spellings: «Нур-Султан», «Бомбей»
                places=lambda partner: partner.country.all_names(),
                follows=("country",),
                prefetch=("country",),
                suggest=True,
            ),
            status_position=0,
        )
        content_register(PartnerStatus)
        content_register(
            Agreement,
            public=lambda manager: manager.filter(partner__in=Partner.objects.published()),
            search=SearchSpec(
                "agreement",
                _("Agreements"),
                "title",
                details=Agreement.search_details,
                places=lambda agreement: translated_values(agreement.partner, "name"),
                follows=("partner", "milestones"),
                prefetch=("partner", "milestones"),
            ),
            status_position=1,
        )
        content_register(Milestone)
