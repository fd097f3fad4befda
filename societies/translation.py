from modeltranslation.translator import TranslationOptions, register

from societies.models import Society


@register(Society)
class SocietyTranslation(TranslationOptions):
    fields = ("name", "description", "address")
    required_languages = ("ru",)
