from modeltranslation.translator import TranslationOptions, register

from core.history import track_history
from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "description", "image_alt")
    required_languages = ("ru",)


@register(PartnerStatus)
class PartnerStatusTranslation(TranslationOptions):
    fields = ("source",)
    required_languages = ("ru",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("ru",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("label",)


# After the translations, so that the history records every language.
track_history(Region, Country, Partner, PartnerStatus, Agreement, Milestone)
