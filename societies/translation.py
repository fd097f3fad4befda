from modeltranslation.translator import TranslationOptions, register

from core.history import track_history
from societies.models import Society


@register(Society)
class SocietyTranslation(TranslationOptions):
    fields = ("name", "description", "address", "image_alt")
    required_languages = ("ru",)


# After the translations, so that the history records every language.
track_history(Society)
